package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.cli.CliRun;
import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run with default settings against a double of today's service as strict as the record shows it and in a bad
 * hour: only today's routes, 8 s tokens, half the MSAs as FASTA, new jobs invisible for a second, and 5% of POSTs
 * answered 503 after the job was stored, 3% of downloads 504, 3% 5xx and 3% 429 anywhere. 60 real UniProt sequences,
 * 5 of them repeated under other ids: every record must end SUCCESS and every distinct sequence be paid once.
 * The other tests take one behaviour of today's service at a time (an MSA that answers 404 for a while after SUCCESS,
 * a download the gateway keeps refusing, a complex), on the same double ({@code emulator.routes=current}); where a
 * fault must change mid-run, the test switches it through the emulator's admin route while the run goes on.
 */
class TodaysServiceFunctionalTests {

    private static final String DOWNLOAD_ROUTE = "GET /api/v1/align/inputs";

    @TempDir
    Path dir;

    @Test
    void aDefaultRunInABadHourOfTodaysServiceGetsEveryRecordAndPaysEachSequenceOnce() throws Exception {
        // given
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.routes", "current");
        settings.put("emulator.token-ttl", "8s");
        settings.put("emulator.fasta-share", "0.5");
        settings.put("emulator.visibility-delay", "1s");
        settings.put("emulator.job-duration", "200ms-1s");
        settings.put("emulator.max-running-jobs-per-user", "20");
        settings.put("emulator.faults.http-5xx-after-create", "0.05");
        settings.put("emulator.faults.http-504", "0.03");
        settings.put("emulator.faults.http-5xx", "0.03");
        settings.put("emulator.faults.http-429", "0.03");
        Path input = sixtyRecords();
        Files.writeString(dir.resolve("cred.properties"), "username=demo\npassword=demo\n");
        try (Emulator.RunningEmulator emulator = Emulator.start(settings)) {
            // when: nothing but the service, the credentials, the input and the output are given
            CliRun r = CliRun.of("run", "--input=" + input, "--output=" + dir.resolve("out"),
                    "--openprotein.base-url=" + emulator.baseUrl(),
                    "--openprotein.credentials-file=" + dir.resolve("cred.properties"));

            // then
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
            List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"));
            assertThat(report).hasSize(60).allSatisfy(x -> assertThat(x.get("status")).as(x.toString()).isEqualTo("SUCCESS"));
            JsonNode stats = stats(emulator);
            assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(55);
            assertThat(stats.get("submissions").asLong()).as("jobs stored: each distinct sequence once").isEqualTo(55);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isZero();
            assertThat(stats.path("faults_injected").size()).as("the bad hour happened").isGreaterThan(0);
        }
    }

    @Test
    void anMsaThatAnswers404ForAWhileAfterSuccessIsWaitedForNotResubmitted() throws Exception {
        // given a service that stores each MSA 3 s after its job reports SUCCESS (404 "Requested align not found"
        // until then), a result grace of a minute, and a single download attempt: a 404 in the grace is no attempt
        List<String[]> proteins = proteins();
        Path input = fasta("delayed.fasta", List.of(
                new String[] {"P1", proteins.get(0)[1]}, new String[] {"P2", proteins.get(2)[1]},
                new String[] {"P3", proteins.get(5)[1]}, new String[] {"P1_again", proteins.get(0)[1]}));
        try (Emulator.RunningEmulator emulator = Emulator.start(emulatorSettings("emulator.result-delay", "3s"))) {
            // when
            CliRun r = run(emulator, input, "--openprotein.result-grace=1m", "--pipeline.download-attempts=1");

            // then: every record has its file, each sequence was paid once and asked for more than once
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"));
            assertThat(report).hasSize(4).allSatisfy(x -> {
                assertThat(x.get("status")).as(x.toString()).isEqualTo("SUCCESS");
                assertThat(x.get("attempts")).as("one job per sequence").isEqualTo("1");
                assertThat(dir.resolve("out").resolve(x.get("file"))).content().startsWith(">" + x.get("id") + "\n");
            });
            JsonNode stats = stats(emulator);
            assertThat(stats.get("submissions").asLong()).as("jobs stored: each distinct sequence once").isEqualTo(3);
            assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(3);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isZero();
            assertThat(stats.path("requests_by_route").path(DOWNLOAD_ROUTE).asLong())
                    .as("the 404s happened: more downloads asked for than jobs").isGreaterThan(3);
        }
    }

    @Test
    void notStoredYetAnswersDoNotUseUpTheDownloadAttempts() throws Exception {
        // given a service that stores the MSA 8 s after SUCCESS (404 until then), two download attempts, and a
        // gateway that answers 504 to one download attempt after the first two 404s (downloads are 2 s apart)
        Path input = fasta("one.fasta", List.<String[]>of(new String[] {"P1", proteins().get(0)[1]}));
        try (Emulator.RunningEmulator emulator = Emulator.start(emulatorSettings("emulator.result-delay", "8s"))) {
            // when
            CompletableFuture<CliRun> running = inBackground(() -> run(emulator, input,
                    "--openprotein.result-grace=1m", "--pipeline.download-attempts=2"));
            awaitStat(emulator, running, st -> st.path("requests_by_route").path(DOWNLOAD_ROUTE).asLong(), 2);
            faults(emulator, "{\"http-504\":1.0,\"routes\":\"" + DOWNLOAD_ROUTE + "\"}");
            awaitStat(emulator, running, st -> st.path("faults_injected").path("http-504").asLong(), 2);
            faults(emulator, "{\"http-504\":0}");
            CliRun r = running.get(3, TimeUnit.MINUTES);

            // then: the 504 was the first of the two attempts (the 404s were none), so the record gets its file
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            CSVRecord record = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv")).get(0);
            assertThat(record.get("status")).as(record.toString()).isEqualTo("SUCCESS");
            JsonNode stats = stats(emulator);
            assertThat(stats.path("faults_injected").path("http-504").asLong()).as("one attempt of 2 requests").isEqualTo(2);
            assertThat(stats.path("requests_by_route").path(DOWNLOAD_ROUTE).asLong()).as("404, 404, 504 x 2, ..., 200")
                    .isGreaterThanOrEqualTo(5);
            assertThat(stats.get("submissions").asLong()).isEqualTo(1);
        }
    }

    @Test
    void anMsaStill404AfterTheResultGraceEndsItsRecordsErrorWithTheReason() throws Exception {
        // given a service that never stores the MSA (404 for an hour after SUCCESS) and a result grace of 3 s
        Path input = fasta("never.fasta", List.<String[]>of(new String[] {"P1", proteins().get(0)[1]}));
        try (Emulator.RunningEmulator emulator = Emulator.start(emulatorSettings("emulator.result-delay", "1h"))) {
            // when
            CliRun r = run(emulator, input, "--openprotein.result-grace=3s");

            // then: the record is ERROR with the reason, the run completed (exit 3), the job was not paid twice
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(r.out() + r.err()).doesNotContain("\tat ");
            CSVRecord record = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv")).get(0);
            assertThat(record.get("status")).isEqualTo("ERROR");
            assertThat(record.get("file")).isEmpty();
            assertThat(record.get("error")).contains(record.get("job_id")).contains("reports SUCCESS but its MSA answered 404")
                    .contains("for 3 s (setting openprotein.result-grace)");
            assertThat(stats(emulator).get("submissions").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aDownloadThatKeepsFailingEndsThatJobsRecordsErrorAndTheOthersStillSucceed() throws Exception {
        // given three sequences, each under two ids; every MSA download answers a CloudFront 504 while the first
        // two jobs created are stragglers (PENDING for 8 s), so only the third job is downloaded during the fault;
        // two download attempts of two requests each
        List<String[]> proteins = proteins();
        Path input = fasta("three-twice.fasta", List.of(
                new String[] {"A1", proteins.get(0)[1]}, new String[] {"B1", proteins.get(2)[1]},
                new String[] {"C1", proteins.get(5)[1]}, new String[] {"A2", proteins.get(0)[1]},
                new String[] {"B2", proteins.get(2)[1]}, new String[] {"C2", proteins.get(5)[1]}));
        try (Emulator.RunningEmulator emulator = Emulator.start(emulatorSettings("emulator.straggler-first", "2",
                "emulator.straggler-duration", "8s", "emulator.faults.http-504", "1.0",
                "emulator.faults.routes", DOWNLOAD_ROUTE))) {
            // when the run goes on, and the fault ends once the third job's downloads have used their attempts
            CompletableFuture<CliRun> running = inBackground(() -> run(emulator, input, "--pipeline.download-attempts=2"));
            awaitStat(emulator, running, st -> st.path("faults_injected").path("http-504").asLong(), 4);
            faults(emulator, "{\"http-504\":0}");
            CliRun r = running.get(3, TimeUnit.MINUTES);

            // then: that job's two records are ERROR with the reason, the other four SUCCESS, exit 3, paid once
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("<html");
            List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"));
            Map<String, List<CSVRecord>> byStatus = report.stream().collect(Collectors.groupingBy(x -> x.get("status")));
            assertThat(byStatus.keySet()).containsExactlyInAnyOrder("ERROR", "SUCCESS");
            List<CSVRecord> errors = byStatus.get("ERROR");
            assertThat(errors).hasSize(2).extracting(x -> x.get("job_id")).containsOnly(errors.get(0).get("job_id"));
            assertThat(errors).allSatisfy(x -> {
                assertThat(x.get("file")).isEmpty();
                assertThat(x.get("error")).contains("download of job " + x.get("job_id") + " failed")
                        .contains("504").contains("2 of 2 attempts, setting pipeline.download-attempts")
                        .doesNotContain("<");
            });
            assertThat(byStatus.get("SUCCESS")).hasSize(4).allSatisfy(x ->
                    assertThat(dir.resolve("out").resolve(x.get("file"))).isRegularFile());
            JsonNode stats = stats(emulator);
            assertThat(stats.get("submissions").asLong()).as("nothing paid twice").isEqualTo(3);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isZero();
            assertThat(stats.path("faults_injected").path("http-504").asLong())
                    .as("2 attempts x openprotein.retry.max-attempts 2, then no more").isEqualTo(4);
        }
    }

    @Test
    void aComplexEndsSuccessWithItsChainsJoinedInItsFile() throws Exception {
        // given a record joining two chains with ':'
        List<String[]> proteins = proteins();
        String a = proteins.get(5)[1];
        String b = proteins.get(0)[1];
        Path input = fasta("complex.fasta", List.<String[]>of(new String[] {"AB", a + ":" + b}));
        try (Emulator.RunningEmulator emulator = Emulator.start(emulatorSettings())) {
            // when
            CliRun r = run(emulator, input);

            // then: the service's seed row (chains joined, no ':') passed verification against the input
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            CSVRecord record = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv")).get(0);
            assertThat(record.get("status")).isEqualTo("SUCCESS");
            List<String> lines = Files.readAllLines(dir.resolve("out").resolve(record.get("file")));
            assertThat(lines.subList(0, 2)).containsExactly(">AB", a + b);
            assertThat(stats(emulator).get("submissions").asLong()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Today's routes only, short seed-only jobs (these tests are about answers, not homologs), plus {@code pairs}. */
    private Map<String, String> emulatorSettings(String... pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.routes", "current");
        settings.put("emulator.msa-mode", "seed-only");
        settings.put("emulator.job-duration", "200ms");
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    /** A run with quick polls and retries (2 requests a download attempt, 2 s at most between attempts). */
    private CliRun run(Emulator.RunningEmulator emulator, Path input, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--input=" + input, "--output=" + dir.resolve("out"),
                "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + credentials(),
                "--openprotein.retry.max-attempts=2", "--openprotein.retry.initial-backoff=10ms",
                "--openprotein.retry.max-backoff=20ms",
                "--pipeline.poll-min=100ms", "--pipeline.poll-max=2s", "--pipeline.deadline=2m"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Runs {@code run} on a thread of its own (inheriting this one's class loader), so the test can act meanwhile. */
    private static CompletableFuture<CliRun> inBackground(Supplier<CliRun> run) {
        return CompletableFuture.supplyAsync(run, task -> new Thread(task, "pipeline-run").start());
    }

    private Path credentials() {
        try {
            return Files.writeString(dir.resolve("cred.properties"), "username=demo\npassword=demo\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fasta(String name, List<String[]> records) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String[] r : records) {
            out.append('>').append(r[0]).append('\n').append(r[1]).append('\n');
        }
        return Files.writeString(dir.resolve(name), out);
    }

    /** Waits (at most a minute, and not past the run's end) until {@code value} of the stats reaches {@code atLeast}. */
    private static void awaitStat(Emulator.RunningEmulator emulator, CompletableFuture<CliRun> running,
                                  ToLongFunction<JsonNode> value, long atLeast) throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(1));
        while (value.applyAsLong(stats(emulator)) < atLeast) {
            if (running.isDone()) {
                CliRun r = running.get();
                throw new AssertionError("the run ended (exit " + r.code() + ") before the stats reached " + atLeast
                        + ": " + stats(emulator) + "\n" + r.out() + r.err());
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("the stats never reached " + atLeast + ": " + stats(emulator));
            }
            Thread.sleep(50);
        }
    }

    /** Sets the emulator's faults ({@code PUT /emulator/faults}, the settings' names without their prefix). */
    static void faults(Emulator.RunningEmulator emulator, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/faults"))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("PUT /emulator/faults: %s", r.body()).isBetween(200, 299);
    }

    /** The proteins of uniprot-queries-100.fasta, in file order, as {id, sequence}. */
    private static List<String[]> proteins() throws Exception {
        List<String[]> records = new ArrayList<>();
        String id = null;
        StringBuilder seq = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("input/uniprot-queries-100.fasta"))) {
            if (line.startsWith(">")) {
                if (id != null) {
                    records.add(new String[] {id, seq.toString()});
                }
                id = line.substring(1).split("\\s+")[0];
                seq.setLength(0);
            } else {
                seq.append(line.strip());
            }
        }
        records.add(new String[] {id, seq.toString()});
        return records;
    }

    /** The first 55 proteins of uniprot-queries-100.fasta, then 5 of them again under other ids. */
    private Path sixtyRecords() throws Exception {
        List<String[]> records = proteins();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 55; i++) {
            out.append('>').append(records.get(i)[0]).append('\n').append(records.get(i)[1]).append('\n');
        }
        for (int i = 0; i < 5; i++) {
            out.append(">again_").append(i).append('\n').append(records.get(i * 11)[1]).append('\n');
        }
        return Files.writeString(dir.resolve("sixty.fasta"), out);
    }

    private static JsonNode stats(Emulator.RunningEmulator emulator) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(r.body());
    }
}
