package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.emulator.Emulator;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills the pipeline (a separate JVM) with SIGKILL while it submits, while it polls and while it writes files,
 * restarts it each time, and checks that nothing was paid twice, lost or left half-written. Also: SIGTERM stops
 * cleanly and resumes, and a second live run of the same pipeline is refused.
 */
class ResumeAfterKillIntegrationTests {

    private static final int RECORDS = 30;

    @TempDir
    Path dir;

    private Emulator.RunningEmulator emulator;
    private Path input;
    private Path output;
    private Path log;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.job-duration", "2s-3s");
        settings.put("emulator.max-running-jobs-per-user", "6");
        settings.put("emulator.msa-mode", "seed-only");
        emulator = Emulator.start(settings);
        Files.writeString(dir.resolve("credentials.properties"), "username=demo\npassword=demo\n");
        input = dir.resolve("seeds.fasta");
        List<String> lines = Files.readAllLines(Path.of("input/uniprot-queries-100.fasta"));
        StringBuilder sb = new StringBuilder();
        int records = 0;
        for (String line : lines) {
            if (line.startsWith(">") && ++records > RECORDS) {
                break;
            }
            sb.append(line).append('\n');
        }
        Files.writeString(input, sb);
        output = dir.resolve("out");
        log = dir.resolve("pipeline.log");
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void doesNotResubmitOrLoseAnythingAfterKillsWhileSubmittingPollingAndWriting() throws Exception {
        // when: SIGKILL while submitting
        Process p = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> submissions() >= 3, p, "submissions to begin");
        kill(p);
        long afterFirstKill = submissions();

        // SIGKILL while polling (everything the window allowed is submitted, no file yet)
        p = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> submissions() > afterFirstKill, p, "submission to continue");
        kill(p);

        // SIGKILL while writing files
        p = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> alignmentFiles() >= 3, p, "files to appear");
        kill(p);

        // then: restarts until it completes
        int code = -1;
        for (int attempt = 0; attempt < 3 && code != 0; attempt++) {
            p = start("--pipeline.max-in-flight=6");
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("pipeline finished").isTrue();
            code = p.exitValue();
        }
        assertThat(code).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("Recovered execution");
        assertEveryRecordHasExactlyOneValidFile();
        assertThat(submissions()).as("jobs paid for").isEqualTo(RECORDS);
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".") || n.endsWith(".partial"));
        }
    }

    @Test
    void sigtermStopsCleanlyAndTheNextRunResumes() throws Exception {
        // given
        Process p = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> submissions() >= 3, p, "submissions to begin");

        // when
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        int stoppedCode = p.exitValue();
        Process again = start("--pipeline.max-in-flight=6");
        assertThat(again.waitFor(180, TimeUnit.SECONDS)).isTrue();

        // then
        String text = Files.readString(log);
        assertThat(stoppedCode).as(text).isEqualTo(143);
        assertThat(text).contains("Stop requested").doesNotContain("Recovered execution").doesNotContain("\tat ");
        try (Stream<Path> logs = Files.list(output.resolve("logs"))) {
            List<Path> files = logs.sorted().toList();
            assertThat(files).as("one log file per execution").hasSize(2);
            assertThat(Files.readString(files.get(1))).contains("msa-batch: pipeline 'example' finished");
        }
        assertThat(again.exitValue()).as(text).isZero();
        assertEveryRecordHasExactlyOneValidFile();
        assertThat(submissions()).isEqualTo(RECORDS);
    }

    @Test
    void sigtermWhileTheServiceRefusesEveryPostEndsTheRetriesAndTheNextRunSendsEachSequenceOnce() throws Exception {
        // given: a run in flight, then a service that answers every POST of a job 429 with Retry-After 20 s: each
        // POST would wait 5 x 20 s before giving up (6 attempts), longer than the graceful stop's 60 s
        Process p = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> submissions() >= 3, p, "submissions to begin");
        TodaysServiceFunctionalTests.faults(emulator, "{\"http-429\":1.0,\"retry-after\":20,\"routes\":\"POST /api/v1/align/msa\"}");
        awaitOrFail(() -> logContains("POST /api/v1/align/msa answered 429"), p, "a POST to be retried");

        // when
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        TodaysServiceFunctionalTests.faults(emulator, "{\"http-429\":0,\"routes\":null}");
        Process again = start("--pipeline.max-in-flight=6");
        assertThat(again.waitFor(180, TimeUnit.SECONDS)).isTrue();

        // then: the stop ended the waits and made no further attempt (an attempt that failed after it says so); nothing
        // lost, nothing paid twice
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(143);
        assertThat(text).contains("Stop requested").contains("msa-batch: stopped after")
                .doesNotContain("did not stop within 60 s").doesNotContain("Recovered execution");
        String stopping = text.substring(text.indexOf("Stop requested"), text.indexOf("msa-batch: pipeline 'example' finished"));
        assertThat(stopping.lines().filter(l -> l.contains("answered 429") && l.contains("(attempt ")))
                .as("attempts after the stop request").allMatch(l -> l.contains("not retried: the run is stopping"));
        assertThat(again.exitValue()).as(text).isZero();
        assertEveryRecordHasExactlyOneValidFile();
        assertThat(submissions()).as("jobs paid for").isEqualTo(RECORDS);
    }

    private boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aRunKilledOneNightAndStartedTheNextAdoptsEveryJobAlreadyPaidFor() throws Exception {
        // given: the night of 12-01 is killed while it submits
        Process p = start("--pipeline.max-in-flight=6", "--pipeline.run-date=2026-12-01");
        awaitOrFail(() -> submissions() >= 6, p, "submissions to begin");
        kill(p);
        long paidBefore = submissions();

        // when: the scheduler's retry runs after midnight, as the night of 12-02
        Process next = start("--pipeline.max-in-flight=6", "--pipeline.run-date=2026-12-02");
        assertThat(next.waitFor(180, TimeUnit.SECONDS)).as("pipeline finished").isTrue();

        // then: every record has its file, and no sequence was paid twice
        String text = Files.readString(log);
        assertThat(next.exitValue()).as(text).isZero();
        assertEveryRecordHasExactlyOneValidFile();
        assertThat(submissions()).as("jobs paid for").isEqualTo(RECORDS);
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(output.resolve("report.csv"));
        long taken = report.stream().filter(r -> !r.get("origin").equals("SUBMITTED")).count();
        assertThat(taken).as("records whose job the first night paid for").isGreaterThanOrEqualTo(paidBefore - 1);
        java.util.regex.Matcher summary = java.util.regex.Pattern.compile("(\\d+) submitted, (\\d+) adopted, (\\d+) reused")
                .matcher(text);
        assertThat(summary.find()).as(text).isTrue();
        assertThat(Long.parseLong(summary.group(2)) + Long.parseLong(summary.group(3))).isEqualTo(taken);
    }

    @Test
    void runsTwoPipelinesAtOnceAndRefusesASecondRunOfOneNamingItAndItsProcess() throws Exception {
        // given: two pipelines (their own names, outputs and, by default, state inside their output)
        Path otherOutput = dir.resolve("other");
        Process a = startWith(List.of("--name=alpha", "--output=" + output));
        Process b = startWith(List.of("--name=beta", "--output=" + otherOutput));
        awaitOrFail(() -> submissions() >= 1, a, "the first pipeline to start");

        // when: alpha again while it runs
        Process again = startWith(List.of("--name=alpha", "--output=" + output));
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(again.exitValue()).as(text).isEqualTo(1);
        assertThat(text).contains("pipeline 'alpha' is already running (process " + a.pid() + " on");
        assertThat(a.exitValue()).as(text).isZero();
        assertThat(b.exitValue()).as(text).isZero();
        assertThat(output.resolve(".msa-batch/alpha.mv.db")).exists();
        assertThat(otherOutput.resolve(".msa-batch/beta.mv.db")).exists();
        assertThat(PipelineFunctionalTests.readCsv(otherOutput.resolve("report.csv"))).hasSize(RECORDS)
                .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
        // each pipeline paid once for each of its sequences: their databases (and so their job caches) are their own
        assertThat(submissions()).isEqualTo(2L * RECORDS);
    }

    @Test
    void refusesASecondLiveRunOfTheSamePipeline() throws Exception {
        // given
        Process first = start("--pipeline.max-in-flight=6");
        awaitOrFail(() -> submissions() >= 1, first, "the first run to start");

        // when
        Process second = start();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("already running");
        kill(first);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A run with its own name and output (the state folder inside it, as by default). */
    private Process startWith(List<String> identity) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--config=jobs-config/example.yml", "--input=" + input,
                "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + dir.resolve("credentials.properties"),
                "--pipeline.chunk-size=3", "--pipeline.poll-min=200ms", "--pipeline.poll-max=1s",
                "--pipeline.max-in-flight=6"));
        args.addAll(identity);
        Process p = PipelineProcess.start(log, args);
        processes.add(p);
        return p;
    }

    private Process start(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--config=jobs-config/example.yml",
                "--input=" + input, "--output=" + output,
                "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + dir.resolve("credentials.properties"),
                "--pipeline.chunk-size=3", "--pipeline.poll-min=200ms", "--pipeline.poll-max=1s",
                "--pipeline.list-threshold=5",
                "--pipeline.state-dir=" + dir.resolve("state")));
        args.addAll(List.of(extra));
        Process p = PipelineProcess.start(log, args);
        processes.add(p);
        return p;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitOrFail(BooleanSupplier condition, Process p, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError("pipeline exited (" + p.exitValue() + ") before " + what + ":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    private void assertEveryRecordHasExactlyOneValidFile() throws Exception {
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(output.resolve("report.csv"));
        assertThat(report).hasSize(RECORDS);
        Set<String> files = new HashSet<>();
        Map<String, String> sequences = sequencesById();
        for (CSVRecord row : report) {
            assertThat(row.get("status")).as(row.toString()).isEqualTo("SUCCESS");
            assertThat(files.add(row.get("file"))).isTrue();
            assertThat(MsaFiles.verify(output.resolve(row.get("file")), sequences.get(row.get("id")), OutputFormat.A3M)).isTrue();
        }
        assertThat(alignmentFiles()).isEqualTo(RECORDS);
    }

    private Map<String, String> sequencesById() throws IOException {
        Map<String, String> byId = new LinkedHashMap<>();
        String id = null;
        StringBuilder seq = new StringBuilder();
        for (String line : Files.readAllLines(input)) {
            if (line.startsWith(">")) {
                if (id != null) {
                    byId.put(id, seq.toString());
                }
                id = line.substring(1).split("\\s+")[0].split("\\|")[1];
                seq.setLength(0);
            } else {
                seq.append(line.strip());
            }
        }
        byId.put(id, seq.toString());
        return byId;
    }

    private long alignmentFiles() {
        if (!Files.isDirectory(output)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".a3m") && !f.getFileName().toString().startsWith("."))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private long submissions() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode stats = JsonMapper.builder().build().readTree(r.body());
            return stats.get("submissions").asLong();
        } catch (Exception e) {
            return -1;
        }
    }
}
