package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.msabatch.cli.CliRun;
import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an adversarial pass found, each as the user meets it: poison records, bad data found mid-stream, links
 * planted where msa-batch writes, a full disk, wrong credentials, pipes as input, spreadsheet formulas in ids, ids
 * that collide ignoring case. Real emulator over HTTP, the real command line.
 */
class HardeningTests {

    @TempDir
    Path dir;

    private Emulator.RunningEmulator emulator;
    private Path credentials;

    @BeforeEach
    void startEmulator() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.job-duration", "100ms");
        settings.put("emulator.msa-mode", "seed-only");
        emulator = Emulator.start(settings);
        credentials = dir.resolve("credentials.properties");
        Files.writeString(credentials, "username=demo\npassword=demo\n");
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void aPoisonIdIsARejectAndNeverBlocksTheRun() throws Exception {
        // given: an id of 1,001 characters, one with a tab, and a good record
        Path input = Files.writeString(dir.resolve("poison.fasta"), ">" + "A".repeat(1001) + "\nMKTAYIAKQRQISFVK\n"
                + ">tab\tid here\nMKTAYIAKQRQISFVR\n>ok\nMKTAYIAKQRQISFVH\n");

        // when
        CliRun r = run(input, dir.resolve("out"));

        // then
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        List<CSVRecord> rejects = PipelineFunctionalTests.readCsv(dir.resolve("out/rejects.csv"));
        assertThat(rejects).hasSize(1).first().satisfies(x -> {
            assertThat(x.get("line")).isEqualTo("1");
            assertThat(x.get("reason")).contains("1001 characters");
        });
        assertThat(PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"))).extracting(x -> x.get("status"))
                .containsExactly("REJECTED", "SUCCESS", "SUCCESS");
    }

    @Test
    void aFiftyMegabyteHeaderLineIsARejectInABoundedHeap() throws Exception {
        // given: a header line of 50 MB, then a good record; the pipeline JVM gets -Xmx256m
        Path input = dir.resolve("huge-header.fasta");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write('>');
            byte[] block = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(block);
            }
            out.write("\nMKTAYIAKQRQISFVK\n>ok\nMKTAYIAKQRQISFVH\n".getBytes(StandardCharsets.US_ASCII));
        }
        Path log = dir.resolve("huge.log");

        // when
        Process p = PipelineProcess.start(log, args(input, dir.resolve("huge-out")));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(3);
        assertThat(text).doesNotContain("OutOfMemoryError");
        List<CSVRecord> rejects = PipelineFunctionalTests.readCsv(dir.resolve("huge-out/rejects.csv"));
        assertThat(rejects).singleElement().satisfies(x -> assertThat(x.get("reason")).contains("header line 1 is over"));
    }

    @Test
    void anOverlongCsvRecordIsARejectAndTheRestIsRead() throws Exception {
        Path input = Files.writeString(dir.resolve("long.csv"), "id,sequence\nbig,\"" + "M".repeat(1_200_000)
                + "\"\nok,MKTAYIAKQRQISFVH\n");

        CliRun r = run(input, dir.resolve("long-out"));

        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(PipelineFunctionalTests.readCsv(dir.resolve("long-out/rejects.csv"))).singleElement()
                .satisfies(x -> assertThat(x.get("reason")).contains("line 2 is over 1000000 characters"));
        assertThat(PipelineFunctionalTests.readCsv(dir.resolve("long-out/report.csv"))).extracting(x -> x.get("status"))
                .containsExactly("REJECTED", "SUCCESS");
    }

    @Test
    void aBrokenQuoteFoundMidStreamIsOneLineExitOneAndTheJobsPaidAreKept() throws Exception {
        // given: five good rows, then an unclosed quote on row 7 (line 7)
        StringBuilder csv = new StringBuilder("id,sequence\n");
        for (int i = 0; i < 5; i++) {
            csv.append("s").append(i).append(",MKTAYIAKQRQISFV").append("ACDEFGHIKL".charAt(i)).append('\n');
        }
        csv.append("bad,\"MKTAYIAKQR\n");
        Path input = Files.writeString(dir.resolve("broken.csv"), csv.toString());

        // when
        CliRun first = run(input, dir.resolve("broken-out"), "--pipeline.chunk-size=2");
        long paid = submissions();
        CliRun again = run(input, dir.resolve("broken-out"), "--pipeline.chunk-size=2");

        // then
        assertThat(first.code()).isEqualTo(1);
        assertThat(first.err().strip().lines()).hasSize(1);
        assertThat(first.err()).contains("broken.csv").contains("not valid CSV").doesNotContain("\tat ");
        assertThat(again.code()).isEqualTo(1);
        assertThat(withoutTrace(again.err())).as("the same line on every try").isEqualTo(withoutTrace(first.err()));
        assertThat(submissions()).as("nothing paid twice on the second try").isEqualTo(paid);
    }

    @Test
    void aTruncatedGzipIsOneLineExitOneEveryTime() throws Exception {
        // given: a gzipped FASTA cut in the middle
        Path whole = dir.resolve("whole.fasta.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            for (int i = 0; i < 400; i++) {
                out.write((">r" + i + "\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ" + i + "\n").replaceAll("\\d\\n$", "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path input = Files.write(dir.resolve("cut.fasta.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        // when
        CliRun first = run(input, dir.resolve("gz-out"));
        CliRun again = run(input, dir.resolve("gz-out"));

        // then
        for (CliRun r : List.of(first, again)) {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("cut.fasta.gz").doesNotContain("\tat ");
        }
    }

    @Test
    void linksPlantedAtEveryNameMsaBatchWritesNeverLeadOutsideItsFolders() throws Exception {
        // given: dangling links at the temporary and final names of a record's file and of the reports
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path output = Files.createDirectories(dir.resolve("links-out"));
        Path input = Files.writeString(dir.resolve("one.fasta"), ">B1ER33\nMKTAYIAKQRQISFVK\n");
        for (String name : List.of(".B1ER33.a3m.partial", "B1ER33.a3m", ".report.csv.partial", ".rejects.csv.partial",
                "report.csv", ".report.html.partial", "report.html", ".msa-batch_mqc.tsv.partial", "msa-batch_mqc.tsv")) {
            Files.createSymbolicLink(output.resolve(name), outside.resolve(name));
        }

        // when
        CliRun r = run(input, output);

        // then: nothing was created where the links pointed; the files are regular files
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
        assertThat(output.resolve("B1ER33.a3m")).isRegularFile();
        assertThat(Files.isSymbolicLink(output.resolve("B1ER33.a3m"))).isFalse();
        assertThat(Files.isSymbolicLink(output.resolve("report.csv"))).isFalse();
        assertThat(output.resolve("report.html")).isRegularFile();
        assertThat(Files.isSymbolicLink(output.resolve("report.html"))).isFalse();
        assertThat(Files.isSymbolicLink(output.resolve("msa-batch_mqc.tsv"))).isFalse();
    }

    @Test
    void aDownloadsFolderThatIsALinkIsRefusedAndItsTargetLeftAlone() throws Exception {
        // given: the state folder's downloads folder replaced by a link to a folder with a file
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("keep.partial"), "mine");
        Path state = Files.createDirectories(dir.resolve("state-links"));
        Files.createSymbolicLink(state.resolve("downloads"), victim);
        Path input = Files.writeString(dir.resolve("two.fasta"), ">a\nMKTAYIAKQRQISFVK\n");

        // when
        CliRun r = CliRun.of(args(input, dir.resolve("dl-out"), "--pipeline.state-dir=" + state).toArray(String[]::new));

        // then
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("symbolic link");
        assertThat(victim.resolve("keep.partial")).hasContent("mine");
    }

    @Test
    void aFullDiskEndsTheRunWithinSecondsWithOneLineAndTheRunResumesOnceThereIsRoom() throws Exception {
        // given: output and state on a small tmpfs (needs root and mount; skipped otherwise)
        Path mount = Files.createDirectories(dir.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0,
                "skipped: cannot mount a tmpfs here (needs root and mount)");
        try {
            Path input = Files.writeString(dir.resolve("disk.fasta"), ">a\nMKTAYIAKQRQISFVK\n");
            long started = System.nanoTime();

            // when: the filesystem has 32 MB, less than the free space a run needs (pipeline.min-free-space, 50 MB)
            CliRun r = run(input, mount.resolve("out"));

            // then
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("no space left on " + mount.resolve("out"));
            assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(30);
            // once there is room (here: asked for less), the same command runs
            CliRun roomy = run(input, mount.resolve("out"), "--pipeline.min-free-space=4MB");
            assertThat(roomy.code()).as(roomy.err()).isZero();
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void wrongCredentialsAreOneLineOnStderrAndExitOne() throws Exception {
        Files.writeString(credentials, "username=demo\npassword=wrong\n");
        Path input = Files.writeString(dir.resolve("cred.fasta"), ">a\nMKTAYIAKQRQISFVK\n");

        CliRun r = run(input, dir.resolve("cred-out"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("login as demo refused").contains("401").doesNotContain("wrong")
                .doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("\tat ");
    }

    @Test
    void aPipeAsInputIsRefusedWithOneLine() throws Exception {
        Path fifo = dir.resolve("seeds.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "skipped: mkfifo is not available");

        CliRun r = run(fifo, dir.resolve("fifo-out"));
        CliRun dash = run(Path.of("-"), dir.resolve("dash-out"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("not a regular file");
        assertThat(dash.code()).isEqualTo(1);
        assertThat(dash.err()).contains("standard input");
    }

    @Test
    void reportsNeutraliseFormulasAndIdsThatDifferOnlyByCaseGetTheirOwnFiles() throws Exception {
        Path input = Files.writeString(dir.resolve("formula.csv"), "id,sequence\n"
                + "\"=cmd|' /C calc'!A0\",MKTAYIAKQRQISFVK\n+1+1,MKTAYIAKQRQISFVR\nabc,MKTAYIAKQRQISFVH\n"
                + "ABC,MKTAYIAKQRQISFVW\n@SUM(1),\n");

        CliRun r = run(input, dir.resolve("formula-out"));

        assertThat(r.code()).as(r.err()).isEqualTo(3);
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("formula-out/report.csv"));
        assertThat(report).extracting(x -> x.get("id"))
                .containsExactly("'=cmd|' /C calc'!A0", "'+1+1", "abc", "ABC", "'@SUM(1)");
        assertThat(PipelineFunctionalTests.readCsv(dir.resolve("formula-out/rejects.csv"))).extracting(x -> x.get("id"))
                .containsExactly("'@SUM(1)");
        assertThat(report.get(2).get("file")).isEqualTo("abc.a3m");
        assertThat(report.get(3).get("file")).isEqualTo("ABC--2.a3m");
    }

    @Test
    void aServiceThatKeepsAnswering429IsGivenUpOnWithOneLineNamingTheCause() throws Exception {
        // given: every API request is refused with 429
        emulator.close();
        emulator = Emulator.start(Map.of("server.port", "0", "emulator.data-dir", dir.resolve("emulator429").toString(),
                "emulator.faults.http-429", "1", "emulator.faults.retry-after", "0"));
        Path input = Files.writeString(dir.resolve("busy.fasta"), ">a\nMKTAYIAKQRQISFVK\n");

        // when
        CliRun r = run(input, dir.resolve("busy-out"), "--pipeline.give-up-after=3s",
                "--openprotein.retry.initial-backoff=50ms", "--openprotein.retry.max-backoff=100ms");

        // then: stopped (resumable), one line with the cause, no stack trace anywhere on the terminal
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
        String last = r.out().lines().filter(l -> l.startsWith("msa-batch: ")).reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("msa-batch: stopped after").contains("gave no usable answer")
                .contains("429").contains("pipeline.give-up-after");
        assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void aDuplicatedHeaderColumnIsOneLine() throws Exception {
        Path input = Files.writeString(dir.resolve("dup.csv"), "id,sequence,id,sequence\na,MKTAYIAK,b,MKTAYIAR\n");

        CliRun r = run(input, dir.resolve("dup-out"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("two 'id' columns").contains("dup.csv");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static String withoutTrace(String line) {
        return line.replaceAll(" \\(full trace in [^)]*\\)", "");
    }

    private List<String> args(Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--config=jobs-config/example.yml", "--input=" + input,
                "--output=" + output, "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + credentials, "--pipeline.poll-min=100ms"));
        args.addAll(List.of(extra));
        return args;
    }

    private CliRun run(Path input, Path output, String... extra) {
        return CliRun.of(args(input, output, extra).toArray(String[]::new));
    }

    private long submissions() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body()).get("submissions").asLong();
    }
}
