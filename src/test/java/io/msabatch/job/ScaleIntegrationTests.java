package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline at scale and in bad weather, as separate JVMs against the real emulator over HTTP, with what the
 * service sees counted by the emulator's stats: a straggler that stays PENDING for the whole run, a kill -9 in the
 * middle of heavy submission, and a chaos run (a fifth of all answers 5xx, a tenth 429, a tenth dropped connections,
 * three kill -9s). Tagged: they run in their own stage of .ci/run, not in the default suite.
 */
class ScaleIntegrationTests {

    @TempDir
    Path dir;

    private Emulator.RunningEmulator emulator;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    @Tag("scale")
    void aStragglerStuckForTheWholeRunCostsNoMoreThanAFewListedRowsAndRequestsPerSequence() throws Exception {
        // given 1,500 sequences, 100 running at a time for 1 s each, and the first job kept PENDING for 18 s
        int n = 1500;
        emulator = start(Map.of("emulator.max-running-jobs-per-user", "100", "emulator.job-duration", "1s",
                "emulator.straggler-first", "1", "emulator.straggler-duration", "18s"));
        Path input = randomProteins(n, 11);

        // when
        Process p = pipeline(input, dir.resolve("out"), List.of());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();

        // then
        String log = Files.readString(dir.resolve("pipeline.log"));
        assertThat(p.exitValue()).as(log).isZero();
        JsonNode stats = stats();
        assertThat(stats.get("stragglers").asLong()).isEqualTo(1);
        double rows = stats.get("jobs_listed").asDouble() / n;
        double requests = stats.get("requests_total").asDouble() / n;
        System.out.printf("straggler run: %.2f rows listed and %.3f requests per sequence%n", rows, requests);
        assertThat(rows).as("job rows listed per sequence").isLessThanOrEqualTo(3.0);
        assertThat(requests).as("requests per sequence").isLessThanOrEqualTo(2.1);
    }

    @Test
    @Tag("scale")
    void aKillDuringHeavySubmissionCostsNoDuplicateAndNoRequestStormOnRestart() throws Exception {
        // given 3,000 sequences, 300 running at a time for 3 s each
        int n = 3000;
        emulator = start(Map.of("emulator.max-running-jobs-per-user", "300", "emulator.job-duration", "3s"));
        Path input = randomProteins(n, 12);
        Path output = dir.resolve("crash-out");

        // when: kill -9 of the pipeline's JVM while it submits, then one restart
        Process first = pipeline(input, output, List.of());
        awaitOrFail(() -> submissions() >= 600, first, "600 submissions");
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        long atKill = submissions();
        Process second = pipeline(input, output, List.of());
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();

        // then: every record has its file, each sequence was paid once, the whole night stayed cheap
        String log = Files.readString(dir.resolve("pipeline.log"));
        assertThat(second.exitValue()).as(log).isZero();
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(output.resolve("report.csv"));
        assertThat(report).hasSize(n).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
        JsonNode stats = stats();
        assertThat(stats.get("submissions").asLong()).as("jobs paid for (%d at the kill)", atKill).isEqualTo(n);
        assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isZero();
        double requests = stats.get("requests_total").asDouble() / n;
        System.out.printf("kill at %d submissions: %.3f requests per sequence for the night%n", atKill, requests);
        assertThat(requests).as("requests per sequence, both processes").isLessThanOrEqualTo(2.3);
        assertThat(log).contains("Reconciled");
    }

    @Test
    @Tag("chaos")
    void aChaosNightWithThreeKillsAccountsForEveryRecordAndPaysEachSequenceOnce() throws Exception {
        // given 200 sequences and a service that fails 40% of all requests
        int n = 200;
        emulator = start(FAULT_MIX);
        Path input = randomProteins(n, 13);
        Path output = dir.resolve("chaos-out");
        List<String> fast = List.of("--openprotein.retry.initial-backoff=100ms", "--openprotein.retry.max-backoff=1s",
                "--openprotein.visibility-grace=5s", "--pipeline.chunk-size=20");

        // when: three kill -9s at growing depths, then runs until one completes
        Random random = new Random(5);
        for (int kill = 1; kill <= 3; kill++) {
            Process p = pipeline(input, output, fast);
            long target = kill * 50L;
            awaitOrFail(() -> submissions() >= target, p, target + " submissions");
            Thread.sleep(random.nextInt(1500));
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        int code = -1;
        for (int attempt = 0; attempt < 3 && code != 0 && code != 3; attempt++) {
            Process p = pipeline(input, output, fast);
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
            code = p.exitValue();
        }

        // then
        String log = Files.readString(dir.resolve("pipeline.log"));
        assertThat(code).as(log).isZero();
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(output.resolve("report.csv"));
        assertThat(report).hasSize(n).allSatisfy(r -> assertThat(r.get("status")).as(r.toString()).isEqualTo("SUCCESS"));
        JsonNode stats = stats();
        assertThat(stats.get("seeds_submitted_more_than_once").asLong()).as("sequences paid twice").isZero();
        assertThat(stats.get("submissions").asLong()).isEqualTo(n);
        double requests = stats.get("requests_total").asDouble() / n;
        System.out.printf("chaos night: %.2f requests per sequence%n", requests);
        assertThat(requests).as("requests per sequence for the whole night").isLessThanOrEqualTo(4.5);
    }

    @Test
    @Tag("chaos")
    void oneRunWithDefaultSettingsUnderTheFaultMixCompletesAndAccountsForEveryRecord() throws Exception {
        // given 200 sequences, a service that fails 40% of all requests, and msa-batch's default settings
        int n = 200;
        emulator = start(FAULT_MIX);
        Path input = randomProteins(n, 17);
        Path output = dir.resolve("weather-out");

        // when: one run, no restart
        Instant started = Instant.now();
        Process p = pipeline(input, output, List.of());
        assertThat(p.waitFor(900, TimeUnit.SECONDS)).as("ended within 15 min").isTrue();

        // then: exit 0, every record SUCCESS, each sequence paid once
        String log = Files.readString(dir.resolve("pipeline.log"));
        assertThat(p.exitValue()).as(log).isZero();
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(output.resolve("report.csv"));
        assertThat(report).hasSize(n).allSatisfy(r -> assertThat(r.get("status")).as(r.toString()).isEqualTo("SUCCESS"));
        JsonNode stats = stats();
        assertThat(stats.get("seeds_submitted_more_than_once").asLong()).as("sequences paid twice").isZero();
        assertThat(stats.get("submissions").asLong()).isEqualTo(n);
        System.out.printf("one run in bad weather: %d s, %.2f requests per sequence%n",
                Duration.between(started, Instant.now()).toSeconds(), stats.get("requests_total").asDouble() / n);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Issue 12's bad hour: a fifth of all answers 5xx, a tenth 429, a tenth dropped connections; 20 jobs at a time. */
    private static final Map<String, String> FAULT_MIX = Map.of("emulator.max-running-jobs-per-user", "20",
            "emulator.job-duration", "500ms", "emulator.faults.http-5xx", "0.2", "emulator.faults.http-429", "0.1",
            "emulator.faults.disconnect", "0.1", "emulator.faults.retry-after", "0");

    private Emulator.RunningEmulator start(Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.msa-mode", "seed-only");
        settings.putAll(extra);
        return Emulator.start(settings);
    }

    private Process pipeline(Path input, Path output, List<String> extra) throws IOException {
        Files.writeString(dir.resolve("credentials.properties"), "username=demo\npassword=demo\n");
        List<String> args = new ArrayList<>(List.of("run", "--config=jobs-config/example.yml", "--input=" + input,
                "--output=" + output, "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + dir.resolve("credentials.properties")));
        args.addAll(extra);
        Process p = PipelineProcess.start(dir.resolve("pipeline.log"), args);
        processes.add(p);
        return p;
    }

    private Path randomProteins(int n, long seed) throws IOException {
        Random rnd = new Random(seed);
        String aa = "ACDEFGHIKLMNPQRSTVWY";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(">p").append(i).append('\n');
            int len = 80 + rnd.nextInt(200);
            for (int k = 0; k < len; k++) {
                sb.append(aa.charAt(rnd.nextInt(aa.length())));
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve("random-" + n + ".fasta"), sb);
    }

    private void awaitOrFail(BooleanSupplier condition, Process p, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError("pipeline exited (" + p.exitValue() + ") before " + what + ":\n"
                        + Files.readString(dir.resolve("pipeline.log")));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private long submissions() {
        try {
            return stats().get("submissions").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private JsonNode stats() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(r.body());
    }
}
