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
    void aGzipCutFarIntoTheFileNamesTheLineAfterWhichItBreaksAndKeepsWhatWasPaid() throws Exception {
        // given: 3,000 random proteins gzipped (too random to compress much), cut at 60% of its bytes
        Path whole = dir.resolve("big.fasta.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            out.write(randomProteins("g", 3000, 7).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path input = Files.write(dir.resolve("cut-late.fasta.gz"), java.util.Arrays.copyOf(bytes, bytes.length * 6 / 10));

        // when
        CliRun first = run(input, dir.resolve("late-out"));
        long paid = submissions();
        CliRun again = run(input, dir.resolve("late-out"));

        // then: one line naming the file, the line after which it breaks (of 6,000) and the fix, every time
        for (CliRun r : List.of(first, again)) {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("cut-late.fasta.gz").contains("cut short or damaged").doesNotContain("\tat ");
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("cannot be read after line (\\d+) ")
                    .matcher(r.err());
            assertThat(line.find()).as(r.err()).isTrue();
            assertThat(Long.parseLong(line.group(1))).isBetween(1000L, 5999L);
        }
        assertThat(again.err()).isEqualTo(first.err());
        assertThat(paid).as("jobs were paid before the break").isPositive();
        assertThat(submissions()).as("nothing paid twice on the second try").isEqualTo(paid);
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
        Path mount = mountTmpfs("small", "32m");
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
            unmount(mount);
        }
    }

    @Test
    void aDiskThatFillsMidRunEndsItWithinSecondsWithOneLineAndTheNextRunPaysForNothingTwice() throws Exception {
        // given: output and state on a 64 MB tmpfs (needs root and mount; skipped otherwise), 300 distinct sequences
        // sent five at a time, so the run lasts a while
        Path mount = mountTmpfs("filling", "64m");
        try {
            Path input = Files.writeString(dir.resolve("filling.fasta"), randomProteins("s", 300, 12));
            Path out = mount.resolve("out");
            Path log = dir.resolve("filling.log");
            Process p = PipelineProcess.start(log, args(input, out, "--pipeline.min-free-space=8MB",
                    "--pipeline.max-in-flight=5"));

            // when: once 20 files are written, a filler takes all but 1 MB of the filesystem
            Path filler = mount.resolve("filler.bin");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (countA3m(out) < 20 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(p.isAlive()).as("the run is still going when the disk fills: %s", Files.readString(log)).isTrue();
            long free = Files.getFileStore(mount).getUsableSpace();
            try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(1 << 20);
                for (long left = free - (1 << 20); left > 0; left -= block.capacity()) {
                    block.clear();
                    ch.write(block);
                }
            }
            long filled = System.nanoTime();

            // then: the run ends within seconds, exit 1, one line naming the folder, no stack trace on the terminal
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended within 30 s of the disk filling").isTrue();
            double seconds = (System.nanoTime() - filled) / 1e9;
            String terminal = Files.readString(log);
            assertThat(p.exitValue()).as(terminal).isEqualTo(1);
            assertThat(terminal).contains("no space left on " + out).doesNotContain("\tat ");
            assertThat(seconds).as("seconds from full to exit").isLessThan(30);
            int writtenBefore = countA3m(out);
            assertThat(writtenBefore).as("stopped mid-run").isBetween(20, 299);

            // and: once space is freed, the same command finishes the night; every sequence was paid for once
            Files.delete(filler);
            CliRun again = run(input, out, "--pipeline.min-free-space=8MB");
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(PipelineFunctionalTests.readCsv(out.resolve("report.csv"))).hasSize(300)
                    .extracting(x -> x.get("status")).containsOnly("SUCCESS");
            assertThat(submissions()).isEqualTo(300);
        } finally {
            unmount(mount);
        }
    }

    /** {@code n} random proteins of 60 residues, ids {@code prefix0, prefix1, ...}, as FASTA. */
    private static String randomProteins(String prefix, int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder fasta = new StringBuilder();
        for (int i = 0; i < n; i++) {
            fasta.append('>').append(prefix).append(i).append('\n');
            for (int k = 0; k < 60; k++) {
                fasta.append("ACDEFGHIKLMNPQRSTVWY".charAt(random.nextInt(20)));
            }
            fasta.append('\n');
        }
        return fasta.toString();
    }

    /** A tmpfs of {@code size} at {@code dir/name}; the test is skipped where mounting is not allowed. */
    private Path mountTmpfs(String name, String size) throws Exception {
        Path mount = Files.createDirectories(dir.resolve(name));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0,
                "skipped: cannot mount a tmpfs here (needs root and mount)");
        return mount;
    }

    private static void unmount(Path mount) throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    private static int countA3m(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".a3m")).count();
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

    @Test
    void anOutputPathThatIsAFileOrInsideOneIsOneLineExitOneAndNothingIsWritten() throws Exception {
        // given: a regular file where the output folder should be
        Path folder = Files.createDirectories(dir.resolve("file-as-output"));
        Path file = Files.writeString(folder.resolve("out"), "not a folder\n");
        Path input = Files.writeString(dir.resolve("file-out.fasta"), ">a\nMKTAYIAKQRQISFVK\n");

        // when: the output is the file itself, then a folder under it
        CliRun r = run(input, file);
        CliRun under = run(input, file.resolve("deeper"));

        // then
        for (CliRun x : List.of(r, under)) {
            assertThat(x.code()).as(x.out() + x.err()).isEqualTo(1);
            assertThat(x.err().strip().lines()).as(x.err()).hasSize(1);
            assertThat(x.err()).contains(file.toAbsolutePath().normalize().toString()).doesNotContain("\tat ");
            assertThat(x.out()).doesNotContain("\tat ");
        }
        assertThat(r.err()).contains("is a file, not a folder");
        assertThat(under.err()).contains("cannot be created: " + file.toAbsolutePath().normalize() + " is a file")
                .contains("--output").doesNotContain("state-dir");
        assertThat(file).hasContent("not a folder");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(submissions()).as("nothing sent").isZero();
    }

    @Test
    void reportsNeutraliseTheDashTabAndCarriageReturnPrefixesAndNameTheFilesThatExist() throws Exception {
        // given: ids that start with '-', and ids whose cell starts with a tab or a carriage return before a formula
        // (control characters: rejected, never trimmed into a different id)
        Path input = Files.writeString(dir.resolve("prefixes.csv"), "id,sequence\n"
                + "-1+2,MKTAYIAKQRQISFVK\n"
                + "\"\t=1+2\",MKTAYIAKQRQISFVR\n"
                + "\"\r@SUM(1)\",MKTAYIAKQRQISFVH\n"
                + "-2-3,MKT1\n");

        // when
        CliRun r = run(input, dir.resolve("prefix-out"));

        // then: no cell of either file starts as a formula; each SUCCESS row names a file that is there
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("prefix-out/report.csv"));
        List<CSVRecord> rejects = PipelineFunctionalTests.readCsv(dir.resolve("prefix-out/rejects.csv"));
        assertThat(report).extracting(x -> x.get("id")).containsExactly("'-1+2", "\\t=1+2", "\\r@SUM(1)", "'-2-3");
        assertThat(report).extracting(x -> x.get("status")).containsExactly("SUCCESS", "REJECTED", "REJECTED", "REJECTED");
        assertThat(rejects).extracting(x -> x.get("id")).containsExactly("\\t=1+2", "\\r@SUM(1)", "'-2-3");
        assertThat(rejects.get(0).get("reason")).contains("control character");
        assertThat(rejects.get(2).get("reason")).contains("'1' at position 4");
        for (CSVRecord row : concat(report, rejects)) {
            for (String cell : row) {
                assertThat(cell).as("a cell of line %s", row.get("line")).doesNotStartWith("=").doesNotStartWith("+")
                        .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
            }
        }
        for (CSVRecord row : report.subList(0, 1)) {
            assertThat(dir.resolve("prefix-out").resolve(row.get("file"))).as(row.get("id")).isRegularFile();
        }
    }

    @Test
    void aCsvIdWithATabOrAControlCharacterIsARejectWithItsLineAndTheRunGoesOn() throws Exception {
        // given: a tab, a BEL, a line break (quoted: lines 4-5) and an ESC inside ids, between good records
        Path input = Files.writeString(dir.resolve("control.csv"), "id,sequence\n"
                + "tab\there,MKTAYIAKQRQISFVK\n"
                + "bell\u0007id,MKTAYIAKQRQISFVR\n"
                + "\"new\nline\",MKTAYIAKQRQISFVH\n"
                + "ok,MKTAYIAKQRQISFVW\n"
                + "esc\u001b[31mred,MKTAYIAKQRQISFVY\n"
                + "good,MKTAYIAKQRQISFVA\n");

        // when
        CliRun r = run(input, dir.resolve("control-out"));

        // then
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        List<CSVRecord> rejects = PipelineFunctionalTests.readCsv(dir.resolve("control-out/rejects.csv"));
        assertThat(rejects).extracting(x -> x.get("line")).containsExactly("2", "3", "4", "7");
        // shown escaped: each row stays one physical line, no terminal escape in the file
        assertThat(rejects).extracting(x -> x.get("id"))
                .containsExactly("tab\\there", "bell\\u0007id", "new\\nline", "esc\\u001b[31mred");
        assertThat(Files.readAllLines(dir.resolve("control-out/rejects.csv"))).hasSize(5);
        assertThat(rejects).allSatisfy(x -> assertThat(x.get("reason")).contains("control character"));
        List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("control-out/report.csv"));
        assertThat(report).extracting(x -> x.get("line") + " " + x.get("status")).containsExactly("2 REJECTED",
                "3 REJECTED", "4 REJECTED", "6 SUCCESS", "7 REJECTED", "8 SUCCESS");
        assertThat(dir.resolve("control-out/ok.a3m")).isRegularFile();
        assertThat(dir.resolve("control-out/good.a3m")).isRegularFile();
        assertThat(submissions()).as("rejects are never sent").isEqualTo(2);
    }

    @Test
    void anInputAloneWritesUnderOutputSlashItsStemInTheWorkingFolderAsAPipelineOfThatName() throws Exception {
        // given: a working folder of the test's own (the default output is relative to it), the input elsewhere
        Path work = Files.createDirectories(dir.resolve("work"));
        Path input = Files.writeString(Files.createDirectories(dir.resolve("in")).resolve("night-seeds.fasta"),
                ">a\nMKTAYIAKQRQISFVK\n>b\nMKTAYIAKQRQISFVR\n");
        Path log = dir.resolve("stem.log");

        // when: run --input=<file>, no --output, no --name
        Process p = PipelineProcess.start(log, work, List.of("run",
                "--config=" + Path.of("jobs-config/example.yml").toAbsolutePath(), "--input=" + input,
                "--openprotein.base-url=" + emulator.baseUrl(), "--openprotein.credentials-file=" + credentials,
                "--pipeline.poll-min=100ms"));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("pipeline finished").isTrue();

        // then: output/night-seeds under the working folder, state inside it under the pipeline's name
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        Path out = work.resolve("output/night-seeds");
        assertThat(PipelineFunctionalTests.readCsv(out.resolve("report.csv"))).extracting(x -> x.get("status"))
                .containsExactly("SUCCESS", "SUCCESS");
        assertThat(out.resolve("a.a3m")).isRegularFile();
        assertThat(out.resolve("b.a3m")).isRegularFile();
        assertThat(out.resolve(".msa-batch/night-seeds.mv.db")).isRegularFile();
        try (Stream<Path> logs = Files.list(out.resolve("logs"))) {
            assertThat(logs).singleElement().satisfies(l -> assertThat(l.getFileName().toString())
                    .startsWith("night-seeds-"));
        }
        try (Stream<Path> top = Files.list(work)) {
            assertThat(top).containsExactly(work.resolve("output"));
        }
        assertThat(Path.of("output/night-seeds")).as("nothing in the project folder").doesNotExist();
    }

    @Test
    void aJobCanceledOnTheServiceIsNeverTakenByALaterNightWhichSubmitsAgain() throws Exception {
        // given: night 1, where the service cancels every job
        Path input = Files.writeString(dir.resolve("cancel.fasta"), ">a\nMKTAYIAKQRQISFVK\n>b\nMKTAYIAKQRQISFVR\n");
        faults("{\"canceled\":1.0}");
        CliRun night1 = run(input, dir.resolve("cancel-out"), "--pipeline.run-date=2026-12-01");
        List<CSVRecord> report1 = PipelineFunctionalTests.readCsv(dir.resolve("cancel-out/report.csv"));
        long paid1 = submissions();

        // when: night 2, same pipeline and database, the service well again
        faults("{\"canceled\":0}");
        CliRun night2 = run(input, dir.resolve("cancel-out"), "--pipeline.run-date=2026-12-02");

        // then: night 2 paid for both again, each with a new job, and has its files
        assertThat(night1.code()).as(night1.err()).isEqualTo(3);
        assertThat(report1).extracting(x -> x.get("status")).containsExactly("CANCELED", "CANCELED");
        assertThat(paid1).isEqualTo(2);
        assertThat(night2.code()).as(night2.out() + night2.err()).isZero();
        List<CSVRecord> report2 = PipelineFunctionalTests.readCsv(dir.resolve("cancel-out/report.csv"));
        assertThat(report2).extracting(x -> x.get("status")).containsExactly("SUCCESS", "SUCCESS");
        assertThat(report2).extracting(x -> x.get("origin")).containsExactly("SUBMITTED", "SUBMITTED");
        assertThat(report2).extracting(x -> x.get("job_id")).doesNotContainAnyElementsOf(
                report1.stream().map(x -> x.get("job_id")).toList()).doesNotContain("");
        assertThat(submissions()).as("jobs paid for over both nights").isEqualTo(4);
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

    private static List<CSVRecord> concat(List<CSVRecord> a, List<CSVRecord> b) {
        List<CSVRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void faults(String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/faults"))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT /emulator/faults: %s", response.body()).isBetween(200, 299);
    }

    private long submissions() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body()).get("submissions").asLong();
    }
}
