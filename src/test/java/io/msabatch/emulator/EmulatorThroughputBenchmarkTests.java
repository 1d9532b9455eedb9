package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many POSTs and GETs per second a standalone emulator JVM sustains in the pipeline's benchmark setting
 * (seed-only, job-duration 0, 1,000 running jobs per user), the load coming from this JVM on the same cores. Prints
 * the figures (README quotes them); no timing assertion. Knobs (system properties): {@code bench.jobs} (POSTs,
 * default 20,000), {@code bench.threads} (client threads, 8), {@code bench.seconds} (per GET phase, 10),
 * {@code bench.prefill} (jobs written into the database before the start, 0), {@code bench.jfr} (a .jfr file for
 * the emulator JVM's flight recording). Run with
 * {@code ./mvnw test -Dtest=EmulatorThroughputBenchmarkTests -Dtest.excludedGroups=none}.
 */
@Tag("benchmark")
class EmulatorThroughputBenchmarkTests {

    private static final String LETTERS = "ACDEFGHIKLMNPQRSTVWY";

    @TempDir
    Path work;

    @Test
    void measuresRequestsPerSecond() throws Exception {
        // given
        int jobs = Integer.getInteger("bench.jobs", 20_000);
        int threads = Integer.getInteger("bench.threads", 8);
        int seconds = Integer.getInteger("bench.seconds", 10);
        long prefill = Long.getLong("bench.prefill", 0);
        Path dataDir = work.resolve("data");
        if (prefill > 0) {
            long t0 = System.nanoTime();
            prefill(dataDir, prefill);
            System.out.printf("EMULATOR-THROUGHPUT prefill %,d jobs in %.1f s%n", prefill, secondsSince(t0));
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null && !jfr.isBlank()) {
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        try (EmulatorProcess emulator = EmulatorProcess.start(work.resolve("emulator.log"), jvm, Map.of(
                "emulator.data-dir", dataDir.toString(), "emulator.users", "bench:bench",
                "emulator.msa-mode", "seed-only", "emulator.job-duration", "0",
                "emulator.max-running-jobs-per-user", "1000", "emulator.visibility-delay", "0"))) {
            EmulatorClient client = new EmulatorClient(emulator.baseUrl());
            String token = client.login("bench", "bench");
            List<String> seeds = seeds(jobs);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                // when: POSTs
                ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
                AtomicInteger next = new AtomicInteger();
                AtomicLong failures = new AtomicLong();
                Instant middle = Instant.now();
                long t0 = System.nanoTime();
                double cpu0 = emulator.cpuSeconds();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                            HttpResponse<String> r = client.submit(token, ">s" + i + "\n" + seeds.get(i) + "\n");
                            if (r.statusCode() == 200) {
                                ids.add(EmulatorClient.json(r).get("job_id").asString());
                            } else {
                                failures.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                double postSeconds = secondsSince(t0);
                System.out.printf("EMULATOR-THROUGHPUT POST %,d jobs from %d threads in %.1f s: %.0f/s (%d failed),"
                        + " emulator CPU %.2f ms per POST%n", jobs, threads, postSeconds, jobs / postSeconds,
                        failures.get(), (emulator.cpuSeconds() - cpu0) * 1000 / jobs);
                long successTarget = prefill + ids.size();
                while (client.stats().get("jobs_by_status").get("SUCCESS").asLong() < successTarget) {
                    EmulatorClient.sleep(100);
                }
                System.out.printf("EMULATOR-THROUGHPUT all %,d jobs SUCCESS %.1f s after the first POST%n",
                        ids.size(), secondsSince(t0));
                tools.jackson.databind.JsonNode st = client.stats();
                System.out.printf("EMULATOR-THROUGHPUT %,d database commits for %,d changes%n",
                        st.path("db_commits").asLong(), st.path("db_changes").asLong());
                List<String> idList = new ArrayList<>(ids);
                // when: GETs
                measure(emulator, pool, threads, seconds, "GET /api/v1/jobs/{id}", i -> client.get("/api/v1/jobs/"
                        + idList.get(ThreadLocalRandom.current().nextInt(idList.size())), token));
                measure(emulator, pool, threads, seconds, "GET /api/v1/align/inputs (GENERATED)", i -> client.get(
                        "/api/v1/align/inputs?msa_type=GENERATED&job_id=" + idList.get(ThreadLocalRandom.current()
                                .nextInt(idList.size())), token));
                measure(emulator, pool, threads, seconds, "GET /api/v1/jobs?page_size=100", i -> client.get(
                        "/api/v1/jobs?page_size=100", token));
                String since = EmulatorClient.enc(middle.toString());
                measure(emulator, pool, threads, seconds, "GET /api/v1/jobs?more_recent_than&page_offset", i -> client.get(
                        "/api/v1/jobs?job_type=/align/align&page_size=100&more_recent_than=" + since
                                + "&page_offset=" + 100 * ThreadLocalRandom.current().nextInt(20), token));
                // then
                assertThat(failures.get()).isZero();
                assertThat(ids).hasSize(jobs);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void measure(EmulatorProcess emulator, ExecutorService pool, int threads, int seconds,
            String what, IntFunction<HttpResponse<String>> request) throws Exception {
        // warm-up (JIT), not measured
        long warm = System.nanoTime() + 2_000_000_000L;
        List<Future<?>> warming = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            warming.add(pool.submit(() -> {
                for (int i = 0; System.nanoTime() < warm; i++) {
                    request.apply(i);
                }
            }));
        }
        for (Future<?> f : warming) {
            f.get();
        }
        double cpu0 = emulator.cpuSeconds();
        AtomicLong count = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    if (request.apply(i++).statusCode() != 200) {
                        bad.incrementAndGet();
                    }
                    count.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double s = secondsSince(t0);
        System.out.printf("EMULATOR-THROUGHPUT %s: %,d in %.1f s: %.0f/s (%d not 200), emulator CPU %.2f ms each%n",
                what, count.get(), s, count.get() / s, bad.get(), (emulator.cpuSeconds() - cpu0) * 1000 / count.get());
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static List<String> seeds(int n) {
        Random random = new Random(42);
        List<String> seeds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = 80 + random.nextInt(321);
            StringBuilder sb = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
            }
            seeds.add(sb.toString());
        }
        return seeds;
    }

    /** Creates the schema (one start of the emulator), then writes {@code n} finished jobs of user bench by SQL. */
    private static void prefill(Path dataDir, long n) throws SQLException {
        Emulator.start(Map.of("server.port", "0", "emulator.data-dir", dataDir.toString())).close();
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("emulator");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            long now = JobRecord.micros(Instant.now()) - n * 10;
            s.execute("INSERT INTO emulator_job (seq, job_id, username, job_type, status, created_us, start_us,"
                    + " end_us, num_records, sequence_length, is_seed, msa_file) SELECT X,"
                    + " RANDOM_UUID(), 'bench', '/align/align', 'SUCCESS', " + now + " + X * 10, "
                    + now + " + X * 10, " + now + " + X * 10, 1, 90, TRUE, 'seed.fasta' FROM SYSTEM_RANGE(1, " + n
                    + ")");
            s.execute("INSERT INTO emulator_seed (seq, seed_key, username, seed) SELECT X,"
                    + " X * 7919, 'bench', 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAP"
                    + "ILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQ' || REPEAT('W', MOD(X, 7)) FROM SYSTEM_RANGE(1, "
                    + n + ")");
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
