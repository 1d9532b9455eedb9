package io.msabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HMMER's {@code hmmbuild} (Debian package {@code hmmer}) reads the Stockholm and aligned FASTA files we write and
 * builds a profile as long as the query: the proof that other tools take our files. Skipped when hmmbuild is missing.
 */
class HmmerIntegrationTests {

    private static final Pattern LENG = Pattern.compile("(?m)^LENG\\s+(\\d+)$");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsHmmbuild() {
        assumeTrue(onPath("hmmbuild"), "hmmbuild is not on PATH (install the Debian package 'hmmer'): HMMER checks skipped");
    }

    @Test
    void hmmbuildTakesOurStockholmWithItsReferenceLine() throws Exception {
        // given a real MSA with insertions, written as Stockholm
        String query = seedOf("real-52-rows.csv");
        Path sto = MsaFiles.write(MsaFilesTests.resource("real-52-rows.csv"), "tr|H6QJ35|H6QJ35_RICMA", query,
                dir.resolve("q.sto"), OutputFormat.STOCKHOLM).path();
        assertThat(Files.readString(sto)).containsPattern("[a-z]"); // insert columns are there

        // when
        int length = hmmbuild(sto, "--amino", "--hand");

        // then
        assertThat(length).isEqualTo(query.length());
    }

    @Test
    void hmmbuildTakesOurAlignedFasta() throws Exception {
        String query = seedOf("real-52-rows.csv");
        Path afa = MsaFiles.write(MsaFilesTests.resource("real-52-rows.csv"), "Q", query, dir.resolve("q.fasta"),
                OutputFormat.FASTA).path();

        int length = hmmbuild(afa, "--amino", "--informat", "afa", "--symfrac", "0");

        assertThat(length).isEqualTo(query.length());
    }

    @Test
    void hmmbuildTakesAQueryOnlyStockholm() throws Exception {
        String query = seedOf("real-query-only.csv");
        Path sto = MsaFiles.write(MsaFilesTests.resource("real-query-only.csv"), "lonely", query, dir.resolve("q.sto"),
                OutputFormat.STOCKHOLM).path();

        assertThat(hmmbuild(sto, "--amino", "--hand")).isEqualTo(query.length());
    }

    private int hmmbuild(Path alignment, String... options) throws Exception {
        Path hmm = dir.resolve(alignment.getFileName() + ".hmm");
        List<String> command = new ArrayList<>(List.of("hmmbuild", "--cpu", "1"));
        command.addAll(List.of(options));
        command.addAll(List.of(hmm.toString(), alignment.toString()));
        Path log = dir.resolve("hmmbuild.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("hmmbuild finished").isTrue();
        assertThat(p.exitValue()).as("hmmbuild exit code; its output:\n" + Files.readString(log)).isZero();
        Matcher m = LENG.matcher(Files.readString(hmm, StandardCharsets.UTF_8));
        assertThat(m.find()).as("LENG line in " + hmm).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String seedOf(String csv) throws Exception {
        String first = Files.readAllLines(MsaFilesTests.resource(csv)).get(0);
        return first.substring(first.indexOf(',') + 1).strip();
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
