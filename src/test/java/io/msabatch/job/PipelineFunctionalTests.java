package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.cli.CliRun;
import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole job, as a user runs it: the command line, against the real emulator over HTTP, with H2 files and Spring
 * Batch's real job repository.
 */
class PipelineFunctionalTests {

    @TempDir
    Path dir;

    private Emulator.RunningEmulator emulator;
    private Path credentials;

    @BeforeEach
    void startEmulator() throws IOException {
        startEmulator(Map.of());
    }

    private void startEmulator(Map<String, String> extra) throws IOException {
        if (emulator != null) {
            emulator.close();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.job-duration", "100ms");
        settings.putAll(extra);
        emulator = Emulator.start(settings);
        credentials = dir.resolve("credentials.properties");
        Files.writeString(credentials, "username=demo\npassword=demo\n");
    }

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void writesOneVerifiedFilePerAcceptedRecordAndListsEveryReject() throws Exception {
        // given
        Path input = copyResource("mixed.fasta");
        Path output = dir.resolve("out");

        // when
        Result result = run(input, output);

        // then: 3 rejects → exit 3
        assertThat(result.code).as(result.err).isEqualTo(3);
        List<CSVRecord> report = readCsv(output.resolve("report.csv"));
        assertThat(report).hasSize(9);
        assertThat(report).extracting(r -> r.get("status"))
                .containsExactly("SUCCESS", "SUCCESS", "SUCCESS", "REJECTED", "REJECTED", "REJECTED", "SUCCESS", "SUCCESS",
                        "SUCCESS");
        assertThat(report.get(7).get("file")).isEqualTo("x_y.a3m");
        assertThat(report.get(8).get("file")).isEqualTo("x_y--2.a3m");
        assertThat(report.get(0).get("job_id")).isNotBlank().isEqualTo(report.get(2).get("job_id"));
        assertThat(report.get(6).get("file")).isEqualTo("lower_case_id.a3m");
        for (CSVRecord row : report) {
            if (row.get("status").equals("SUCCESS")) {
                Path file = output.resolve(row.get("file"));
                List<String> lines = Files.readAllLines(file);
                assertThat(lines.get(0)).isEqualTo(">" + row.get("id"));
                assertThat(sha256(lines.get(1))).isEqualTo(row.get("sequence_sha256"));
            }
        }
        assertThat(Files.readAllLines(output.resolve("lower_case_id.a3m")).get(1)).doesNotContain("*").isUpperCase();
        List<CSVRecord> rejects = readCsv(output.resolve("rejects.csv"));
        assertThat(rejects).extracting(r -> r.get("id")).containsExactly("BAD_LETTERS", "EMPTY", "Q8WWJ3");
        assertThat(rejects.get(0).get("reason")).contains("1");
        assertThat(rejects.get(2).get("reason")).contains("different sequence");
        assertThat(rejects).extracting(r -> r.get("line")).doesNotContainNull().allMatch(l -> Long.parseLong(l) > 1);
        JsonNode stats = stats();
        assertThat(stats.get("submissions").asLong()).isEqualTo(5);
        assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(5);
        try (Stream<Path> files = Files.list(output)) {
            // (the run's log folder is checked where the run is its own JVM: ResumeAfterKillIntegrationTests)
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("logs")))
                    .containsExactlyInAnyOrder("A7TBS3.a3m", "Q8WWJ3.a3m", "COPY_OF_A7TBS3.a3m", "lower_case_id.a3m",
                            "x_y.a3m", "x_y--2.a3m", "report.csv", "rejects.csv", "report.html", "msa-batch_mqc.tsv");
        }
    }

    @Test
    void cleanCsvExitsZeroAndASecondRunOfTheSameNightDoesNothing() throws Exception {
        // given
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("csv-out");

        // when
        Result first = run(input, output);
        long submissions = stats().get("submissions").asLong();
        Result second = run(input, output);

        // then
        assertThat(first.code).as(first.err + first.out).isZero();
        assertThat(readCsv(output.resolve("report.csv"))).extracting(r -> r.get("status")).containsOnly("SUCCESS").hasSize(3);
        assertThat(readCsv(output.resolve("rejects.csv"))).isEmpty();
        assertThat(second.code).isZero();
        assertThat(second.out).contains("already completed");
        assertThat(stats().get("submissions").asLong()).isEqualTo(submissions).isEqualTo(3);
    }

    @Test
    void anEditedInputIsANewRunThatReusesWhatIsComputedAndSaysSo() throws Exception {
        // given: a night that completed on three sequences
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("edited");
        Result first = run(input, output);
        assertThat(first.code).as(first.err).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(input));

        // when: the same night, one record removed and two added (one of them a new sequence)
        lines.remove(1);
        lines.add("NEW1,MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWSTPSELGHAGLNGDILVWNPVLEDAFELSSMGIRVDADTLKHQLALTGDEDRLELEWHQALLRGEMPQTIGGGIGQSRLTMLLLQLPHIGQVQAGVWPAACRESVPALL");
        lines.add("COPY_OF_FIRST," + lines.get(1).split(",", 2)[1]);
        Files.write(input, lines);
        Result edited = run(input, output);
        Result again = run(input, output);

        // then: only the new sequence was paid for; the others were reused; the same input again does nothing
        assertThat(edited.code).as(edited.err).isZero();
        assertThat(edited.out).contains("input changed").contains("1 submitted, 0 adopted, 3 reused");
        List<CSVRecord> report = readCsv(output.resolve("report.csv"));
        assertThat(report).extracting(r -> r.get("id")).doesNotContain(readCsv(copyResource2("clean.csv")).get(0).get("id"));
        assertThat(report).extracting(r -> r.get("status")).containsOnly("SUCCESS").hasSize(4);
        assertThat(report).filteredOn(r -> r.get("id").equals("NEW1")).singleElement()
                .satisfies(r -> assertThat(r.get("origin")).isEqualTo("SUBMITTED"));
        assertThat(report).filteredOn(r -> !r.get("id").equals("NEW1")).extracting(r -> r.get("origin"))
                .containsOnly("REUSED");
        assertThat(again.out).contains("already completed");
        assertThat(stats().get("submissions").asLong()).isEqualTo(4);
    }

    @Test
    void reportsFailureWithItsMessageAfterTheResubmitBudget() throws Exception {
        // given: every job fails
        startEmulator(Map.of("emulator.faults.job-failure", "1"));
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("failing");

        // when
        Result result = run(input, output, "--pipeline.resubmit-failed=1");

        // then: each sequence was tried twice, then reported FAILURE with the service's message
        assertThat(result.code).as(result.err).isEqualTo(3);
        List<CSVRecord> report = readCsv(output.resolve("report.csv"));
        assertThat(report).extracting(r -> r.get("status")).containsOnly("FAILURE");
        assertThat(report).extracting(r -> r.get("attempts")).containsOnly("2");
        assertThat(report).extracting(r -> r.get("error")).allMatch(e -> !e.isBlank());
        assertThat(stats().get("submissions").asLong()).isEqualTo(6);
    }

    @Test
    void adoptsJobsWhosePostAnswerWasLostInsteadOfPayingTwice() throws Exception {
        // given: the service creates every job but the answer to each POST is lost (connection dropped)
        startEmulator(Map.of("emulator.faults.disconnect", "1", "emulator.faults.routes", "POST /api/v1/align/msa"));
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("lost-answers");

        // when
        Result result = run(input, output);

        // then: each sequence was sent once and its job adopted after reconciliation
        assertThat(result.code).as(result.err + result.out).isZero();
        assertThat(readCsv(output.resolve("report.csv"))).extracting(r -> r.get("status")).containsOnly("SUCCESS").hasSize(3);
        assertThat(stats().get("submissions").asLong()).isEqualTo(3);
    }

    @Test
    void reportsJobsStillRunningAtTheDeadlineAsTimedOut() throws Exception {
        // given: jobs take far longer than the deadline
        startEmulator(Map.of("emulator.job-duration", "60s"));
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("slow");

        // when: one job at a time, so the deadline passes while records still wait to be sent
        Result result = run(input, output, "--pipeline.deadline=2s", "--pipeline.max-in-flight=1",
                "--pipeline.chunk-size=1");

        // then: the job in flight timed out; the records after it were not sent (nothing paid after the deadline)
        assertThat(result.code).as(result.err).isEqualTo(3);
        List<CSVRecord> report = readCsv(output.resolve("report.csv"));
        assertThat(report).extracting(r -> r.get("status")).containsOnly("TIMED_OUT").hasSize(3);
        assertThat(report).extracting(r -> r.get("error")).allMatch(e -> e.contains("pipeline.deadline"));
        assertThat(report.get(0).get("error")).contains("gave up");
        assertThat(report.get(2).get("error")).contains("not submitted");
        assertThat(stats().get("submissions").asLong()).isEqualTo(1);
    }

    @Test
    void eachNightIsItsOwnRunAndCanReuseAnEarlierNightsAlignments() throws Exception {
        // given: night 1 computed the MSAs
        Path input = copyResource("clean.csv");
        Result night1 = run(input, dir.resolve("night1"), "--pipeline.run-date=2026-11-28");
        assertThat(night1.code).as(night1.err).isZero();

        // when: night 2 reuses them (the default), night 3 (reuse off) pays again
        Result night2 = run(input, dir.resolve("night2"), "--pipeline.run-date=2026-11-29");
        long afterNight2 = stats().get("submissions").asLong();
        long downloadsBefore = downloads();
        java.nio.file.attribute.FileTime night3Start = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        Result night3 = run(input, dir.resolve("night1"), "--pipeline.run-date=2026-11-30", "--pipeline.reuse-max-age=0");

        // then
        assertThat(night2.code).as(night2.err).isZero();
        assertThat(afterNight2).isEqualTo(3);
        List<CSVRecord> report2 = readCsv(dir.resolve("night2/report.csv"));
        assertThat(report2).extracting(r -> r.get("status")).containsOnly("SUCCESS");
        assertThat(report2).extracting(r -> r.get("origin")).containsOnly("REUSED");
        for (CSVRecord row : report2) {
            assertThat(Files.readAllLines(dir.resolve("night2").resolve(row.get("file"))).get(0)).isEqualTo(">" + row.get("id"));
        }
        assertThat(night3.code).isZero();
        assertThat(stats().get("submissions").asLong()).isEqualTo(6);
        // night 3 wrote into night 1's folder: last night's valid-looking files were not taken as tonight's results
        // (each was downloaded again; a job answered from the service's cache may need a second try while invisible)
        assertThat(downloads() - downloadsBefore).isGreaterThanOrEqualTo(3);
        for (CSVRecord row : readCsv(dir.resolve("night1/report.csv"))) {
            assertThat(Files.getLastModifiedTime(dir.resolve("night1").resolve(row.get("file")))).isGreaterThan(night3Start);
        }
    }

    @Test
    void aSequenceTheServiceRefusesIsRejectedWithItsDetailAndTheRunCompletes() throws Exception {
        // given: the service accepts seeds of at most 1,000 residues (one seed has 1,489); the pipeline allows 10,000
        startEmulator(Map.of("emulator.max-seed-length", "1000"));
        Path input = copyResource("clean.csv");
        Path output = dir.resolve("refused");

        // when
        Result first = run(input, output);
        Result again = run(input, output);

        // then: the long sequence is a reject with the service's reason, the others have files, nothing is re-sent
        assertThat(first.code).as(first.err).isEqualTo(3);
        List<CSVRecord> report = readCsv(output.resolve("report.csv"));
        assertThat(report).filteredOn(r -> r.get("status").equals("REJECTED")).singleElement()
                .satisfies(r -> assertThat(r.get("error")).contains("refused").contains("1000"));
        assertThat(report).filteredOn(r -> r.get("status").equals("SUCCESS")).hasSize(2);
        assertThat(readCsv(output.resolve("rejects.csv"))).hasSize(1);
        assertThat(again.out).contains("already completed");
        assertThat(stats().get("submissions").asLong()).isEqualTo(2);
    }

    @Test
    void aMissingInputIsOneClearLineAndExitCodeOne() throws Exception {
        // when
        Result result = run(dir.resolve("nope.fasta"), dir.resolve("out"));

        // then
        assertThat(result.code).isEqualTo(1);
        assertThat(result.err.strip().lines()).hasSize(1);
        assertThat(result.err).contains("nope.fasta").doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    record Result(int code, String out, String err) {
    }

    private Result run(Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--config=jobs-config/example.yml",
                "--input=" + input, "--output=" + output,
                "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + credentials,
                "--pipeline.poll-min=100ms",
                "--pipeline.state-dir=" + dir.resolve("state")));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        return new Result(r.code(), r.out(), r.err());
    }

    private Path copyResource2(String name) throws IOException {
        Path target = dir.resolve("pristine-" + name);
        try (var in = getClass().getResourceAsStream(name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private Path copyResource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (var in = getClass().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private JsonNode stats() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body());
    }

    private long downloads() throws Exception {
        return stats().path("requests_by_route").path("GET /api/v1/align/inputs").asLong();
    }

    static List<CSVRecord> readCsv(Path file) throws IOException {
        try (CSVParser parser = CSVParser.builder().setPath(file).setCharset(StandardCharsets.UTF_8)
                .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return parser.getRecords();
        }
    }

    static String sha256(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
    }
}
