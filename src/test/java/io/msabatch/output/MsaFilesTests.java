package io.msabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsaFilesTests {

    private static final String QUERY = "MKVLAAGLLL";

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(MsaFilesTests.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> namesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesA3mWithTheQueryFirstAndHomologsAsReturned() throws Exception {
        // given
        Path target = dir.resolve("P1.a3m");

        // when
        WrittenFile written = MsaFiles.write(resource("server-msa.csv"), "sp|P1|X", QUERY, target, OutputFormat.A3M);

        // then
        assertThat(Files.readAllLines(target)).containsExactly(
                ">sp|P1|X", QUERY,
                ">UniRef100_A0A001\t152.3\t0.81\t1.2e-40\t1\t10\t10\t3\t14\t220", "MKVLaaAAGL-L",
                ">UniRef100_A0A002\t98.1\t0.42\t3.0e-12\t2\t10\t10\t1\t9\t150", "-KILAAGcLLL",
                ">UniRef100_A0A003, quoted\t50.0\t0.30\t1e-5\t1\t10\t10\t1\t10\t90", "MRVLAAGLLI");
        assertThat(written.path()).isEqualTo(target);
        assertThat(written.rows()).isEqualTo(4);
        assertThat(written.sha256()).isEqualTo(MsaFiles.sha256(target)).hasSize(64).matches("[0-9a-f]+");
        assertThat(namesIn(dir)).containsExactly("P1.a3m");
    }

    @Test
    void writesAlignedFastaWithoutInsertions() throws Exception {
        Path target = dir.resolve("P1.fasta");

        WrittenFile written = MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, target, OutputFormat.FASTA);

        List<String> lines = Files.readAllLines(target);
        assertThat(lines).containsExactly(
                ">P1", QUERY,
                ">UniRef100_A0A001\t152.3\t0.81\t1.2e-40\t1\t10\t10\t3\t14\t220", "MKVLAAGL-L",
                ">UniRef100_A0A002\t98.1\t0.42\t3.0e-12\t2\t10\t10\t1\t9\t150", "-KILAAGLLL",
                ">UniRef100_A0A003, quoted\t50.0\t0.30\t1e-5\t1\t10\t10\t1\t10\t90", "MRVLAAGLLI");
        assertThat(lines.stream().filter(l -> !l.startsWith(">"))).allMatch(l -> l.length() == QUERY.length());
        assertThat(MsaFiles.verify(target, QUERY, OutputFormat.FASTA)).isTrue();
        assertThat(written.rows()).isEqualTo(4);
    }

    @Test
    void acceptsASeedRowTheServiceUpperCasedOrLowerCased() {
        Path target = dir.resolve("P1.a3m");

        WrittenFile written = MsaFiles.write(resource("lowercase-seed.csv"), "P1", "mkvl-aaglll", target, OutputFormat.A3M);

        assertThat(written.rows()).isEqualTo(2);
        assertThat(MsaFiles.verify(target, "MKVLAAGLLL", OutputFormat.A3M)).isTrue();
    }

    @Test
    void refusesAnAnswerWhoseSeedIsNotTheInput() throws Exception {
        Path target = dir.resolve("P1.a3m");

        assertThatThrownBy(() -> MsaFiles.write(resource("wrong-seed.csv"), "P1", QUERY, target, OutputFormat.A3M))
                .isInstanceOf(InvalidMsaException.class)
                .hasMessageContaining("does not start with the input sequence of 'P1'")
                .hasMessageContaining("first difference at position 10 ('I' instead of 'L')");
        assertThat(namesIn(dir)).isEmpty();
    }

    @Test
    void refusesARowWithTheWrongColumnCountAndKeepsThePreviousFile() throws Exception {
        // given a good file from an earlier run
        Path target = dir.resolve("P1.a3m");
        MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, target, OutputFormat.A3M);
        String before = MsaFiles.sha256(target);

        // when / then
        assertThatThrownBy(() -> MsaFiles.write(resource("short-row.csv"), "P1", QUERY, target, OutputFormat.A3M))
                .isInstanceOf(InvalidMsaException.class)
                .hasMessage("row 3 ('UniRef100_SHORT') has 9 alignment columns (upper-case letters and '-'),"
                        + " expected 10 (the query length)");
        assertThat(MsaFiles.sha256(target)).isEqualTo(before);
        assertThat(namesIn(dir)).containsExactly("P1.a3m");
    }

    @Test
    void refusesCharactersThatAreNotResidues() {
        assertThatThrownBy(() -> MsaFiles.write(resource("bad-char.csv"), "P1", QUERY, dir.resolve("P1.a3m"), OutputFormat.A3M))
                .isInstanceOf(InvalidMsaException.class)
                .hasMessageContaining("row 2 ('UniRef100_BAD') has '3' at position 6");
    }

    @Test
    void refusesAnEmptyAnswer() {
        assertThatThrownBy(() -> MsaFiles.write(resource("empty-answer.csv"), "P1", QUERY, dir.resolve("P1.a3m"), OutputFormat.A3M))
                .isInstanceOf(InvalidMsaException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void verifyRejectsTruncatedForeignAndMissingFiles() throws Exception {
        // given
        Path good = dir.resolve("good.a3m");
        MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, good, OutputFormat.A3M);
        List<String> lines = Files.readAllLines(good);
        Path truncated = Files.writeString(dir.resolve("truncated.a3m"),
                String.join("\n", lines.subList(0, 3)) + "\nMKVLaaAA\n");
        Path otherQuery = Files.writeString(dir.resolve("other.a3m"), ">P2\nMKTAYIAKQR\n");
        Path garbage = Files.writeString(dir.resolve("garbage.a3m"), "<html>error</html>\n");
        Path empty = Files.writeString(dir.resolve("empty.a3m"), "");

        // then
        assertThat(MsaFiles.verify(good, QUERY, OutputFormat.A3M)).isTrue();
        assertThat(MsaFiles.verify(good, QUERY, OutputFormat.FASTA)).isFalse();
        assertThat(MsaFiles.verify(truncated, QUERY, OutputFormat.A3M)).isFalse();
        assertThat(MsaFiles.verify(otherQuery, QUERY, OutputFormat.A3M)).isFalse();
        assertThat(MsaFiles.verify(garbage, QUERY, OutputFormat.A3M)).isFalse();
        assertThat(MsaFiles.verify(empty, QUERY, OutputFormat.A3M)).isFalse();
        assertThat(MsaFiles.verify(dir.resolve("missing.a3m"), QUERY, OutputFormat.A3M)).isFalse();
    }

    @Test
    void replacesAnExistingTargetAndALeftoverTemporaryFile() throws Exception {
        Path target = dir.resolve("P1.a3m");
        Files.writeString(target, "old");
        Files.writeString(dir.resolve(".P1.a3m.partial"), "half a file from a killed run");

        MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, target, OutputFormat.A3M);

        assertThat(Files.readString(target)).startsWith(">P1\n" + QUERY + "\n");
        assertThat(namesIn(dir)).containsExactly("P1.a3m");
    }

    @Test
    void cleansOnlyTemporaryFiles() throws Exception {
        // given
        Files.writeString(dir.resolve(".P1.a3m.partial"), "x");
        Files.writeString(dir.resolve(".report.csv.partial"), "x");
        Path sub = Files.createDirectories(dir.resolve("msa"));
        Files.writeString(sub.resolve(".P2.fasta.partial"), "x");
        Files.writeString(dir.resolve("P1.a3m"), "keep");
        Files.writeString(dir.resolve("notes.partial"), "keep: no leading dot");
        Files.writeString(dir.resolve(".hidden"), "keep");

        // when
        int cleaned = MsaFiles.cleanTemporaryFiles(dir);

        // then
        // then: only msa-batch's own temporary files at the top level; a sub-folder is not ours to clean
        assertThat(cleaned).isEqualTo(2);
        assertThat(namesIn(dir)).containsExactly(".hidden", "P1.a3m", "msa", "notes.partial");
        assertThat(namesIn(sub)).containsExactly(".P2.fasta.partial");
        assertThat(MsaFiles.cleanTemporaryFiles(dir.resolve("missing"))).isZero();
    }

    @Test
    void hashesTextAndFilesAlike() throws Exception {
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc");

        assertThat(MsaFiles.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(MsaFiles.sha256(file)).isEqualTo(MsaFiles.sha256("abc"));
    }

    @Test
    void streamsAnMsaOfManyRows() throws Exception {
        // given 20,000 homologs of a 300-residue query
        String query = "MKVLAAGLLL".repeat(30);
        Path server = dir.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(server)) {
            out.write("101," + query + "\n");
            for (int i = 1; i <= 20_000; i++) {
                out.write("UniRef100_" + i + "\t1\t1\t1\t1\t300\t300\t1\t300\t300,MKac" + query.substring(2) + "gg\n");
            }
        }

        // when
        WrittenFile written = MsaFiles.write(server, "Q", query, dir.resolve("Q.a3m"), OutputFormat.A3M);

        // then
        assertThat(written.rows()).isEqualTo(20_001);
        assertThat(MsaFiles.verify(written.path(), query, OutputFormat.A3M)).isTrue();
    }

    @Test
    void writesStockholmWithInsertColumnsMarkedByTheReferenceLine() throws Exception {
        // given
        Path target = dir.resolve("P1.sto");

        // when
        WrittenFile written = MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, target, OutputFormat.STOCKHOLM);

        // then every row is 13 wide: 10 query columns ('x') and 3 insert columns ('.'), insertions lower-case
        assertThat(Files.readAllLines(target)).containsExactly(
                "# STOCKHOLM 1.0",
                "#=GF AU msa-batch",
                "#=GS UniRef100_A0A001 DE 152.3 0.81 1.2e-40 1 10 10 3 14 220",
                "#=GS UniRef100_A0A002 DE 98.1 0.42 3.0e-12 2 10 10 1 9 150",
                "#=GS UniRef100_A0A003, DE quoted 50.0 0.30 1e-5 1 10 10 1 10 90",
                "#=GC RF            xxxx..xxx.xxx",
                "P1                 MKVL..AAG.LLL",
                "UniRef100_A0A001   MKVLaaAAG.L-L",
                "UniRef100_A0A002   -KIL..AAGcLLL",
                "UniRef100_A0A003,  MRVL..AAG.LLI",
                "//");
        assertThat(written.rows()).isEqualTo(4);
        assertThat(MsaFiles.verify(target, QUERY, OutputFormat.STOCKHOLM)).isTrue();
        assertThat(MsaFiles.verify(target, QUERY, OutputFormat.A3M)).isFalse();
    }

    @Test
    void givesStockholmRowsUniqueNamesWithoutSpaces() throws Exception {
        // given the service names a homolog like the query, twice
        Path server = Files.writeString(dir.resolve("dup.csv"), "101,MKVLAAGLLL\n"
                + "sp|P1 X\t1\t1,MKVLAAGLLI\n"
                + "sp|P1 X\t2\t2,MKVLAAGLLM\n");

        // when
        Path target = MsaFiles.write(server, "sp|P1 X", QUERY, dir.resolve("P1.sto"), OutputFormat.STOCKHOLM).path();

        // then
        assertThat(Files.readAllLines(target)).filteredOn(l -> !l.startsWith("#") && !l.equals("//"))
                .extracting(l -> l.split(" +")[0])
                .containsExactly("sp|P1_X", "sp|P1", "sp|P1_2");
    }

    @Test
    void stockholmVerificationNeedsTheClosingLineAndEqualWidths() throws Exception {
        // given
        Path good = MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, dir.resolve("good.sto"), OutputFormat.STOCKHOLM).path();
        List<String> lines = Files.readAllLines(good);
        Path truncated = Files.write(dir.resolve("truncated.sto"), lines.subList(0, lines.size() - 1));
        Path ragged = Files.writeString(dir.resolve("ragged.sto"), String.join("\n", lines).replace("MRVL..AAG.LLI", "MRVLAAG.LLI") + "\n");
        Path noHeader = Files.write(dir.resolve("no-header.sto"), lines.subList(1, lines.size()));
        Path badReference = Files.writeString(dir.resolve("rf.sto"), String.join("\n", lines).replace("xxxx..xxx.xxx", "xxxx..xxx.xx.") + "\n");

        // then
        assertThat(MsaFiles.verify(good, QUERY, OutputFormat.STOCKHOLM)).isTrue();
        assertThatThrownBy(() -> MsaFiles.check(truncated, QUERY, OutputFormat.STOCKHOLM)).hasMessageContaining("closing '//'");
        assertThatThrownBy(() -> MsaFiles.check(ragged, QUERY, OutputFormat.STOCKHOLM)).hasMessageContaining("same length");
        assertThatThrownBy(() -> MsaFiles.check(noHeader, QUERY, OutputFormat.STOCKHOLM)).hasMessageContaining("# STOCKHOLM 1.0");
        assertThatThrownBy(() -> MsaFiles.check(badReference, QUERY, OutputFormat.STOCKHOLM)).hasMessageContaining("#=GC RF");
    }

    @Test
    void writesColabFoldsFirstLineWhenAsked() throws Exception {
        // given
        Path target = dir.resolve("P1.a3m");

        // when
        MsaFiles.write(resource("server-msa.csv"), "P1", QUERY, target, OutputFormat.A3M, true);

        // then
        assertThat(Files.readAllLines(target)).startsWith("#10\t1", ">P1", QUERY);
        assertThat(MsaFiles.verify(target, QUERY, OutputFormat.A3M)).isTrue();
        Path wrongLength = Files.writeString(dir.resolve("wrong.a3m"), Files.readString(target).replace("#10\t1", "#11\t1"));
        assertThat(MsaFiles.verify(wrongLength, QUERY, OutputFormat.A3M)).isFalse();
    }

    @Test
    void copiesEachFormatWithTheQueryRenamed() throws Exception {
        for (OutputFormat format : OutputFormat.values()) {
            // given an earlier night's file
            Path source = MsaFiles.write(resource("server-msa.csv"), "OLD", QUERY, dir.resolve("old." + format.extension()), format).path();

            // when
            WrittenFile copy = MsaFiles.copyAs(source, "NEW", QUERY, dir.resolve("new." + format.extension()), format);

            // then only the query's name differs
            assertThat(copy.rows()).as(format.name()).isEqualTo(4);
            assertThat(Files.readString(copy.path())).as(format.name())
                    .isEqualTo(Files.readString(source).replaceFirst("(?m)^(>?)OLD( ?)", "$1NEW$2"));
        }
    }

    @Test
    void copiesAnA3mWithColabFoldsLineAddedOrDropped() throws Exception {
        // given
        Path plain = MsaFiles.write(resource("server-msa.csv"), "OLD", QUERY, dir.resolve("plain.a3m"), OutputFormat.A3M).path();

        // when
        Path with = MsaFiles.copyAs(plain, "NEW", QUERY, dir.resolve("with.a3m"), OutputFormat.A3M, true).path();
        Path without = MsaFiles.copyAs(with, "NEW2", QUERY, dir.resolve("without.a3m"), OutputFormat.A3M, false).path();

        // then
        assertThat(Files.readAllLines(with)).startsWith("#10\t1", ">NEW");
        assertThat(Files.readAllLines(without)).startsWith(">NEW2", QUERY).hasSize(8);
    }

    @Test
    void renamesAStockholmQueryThatWouldClashWithAHomolog() throws Exception {
        // given
        Path source = MsaFiles.write(resource("server-msa.csv"), "OLD", QUERY, dir.resolve("old.sto"), OutputFormat.STOCKHOLM).path();

        // when
        Path copy = MsaFiles.copyAs(source, "UniRef100_A0A002", QUERY, dir.resolve("new.sto"), OutputFormat.STOCKHOLM).path();

        // then
        assertThat(Files.readAllLines(copy)).contains("UniRef100_A0A002_2 MKVL..AAG.LLL", "UniRef100_A0A002   -KIL..AAGcLLL");
    }

    @Test
    void aFileCreatedExclusivelyNeverWritesThroughALinkAtItsName() throws Exception {
        // given: a link to a file outside and a dangling link, at two names msa-batch is about to create
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("victim.txt"), "keep");
        Path folder = Files.createDirectories(dir.resolve("own"));
        Files.createSymbolicLink(folder.resolve(".report.html.partial"), outside);
        Files.createSymbolicLink(folder.resolve(".x.partial"), dir.resolve("outside/new.txt"));

        // when
        for (String name : List.of(".report.html.partial", ".x.partial")) {
            try (java.io.OutputStream out = MsaFiles.createExclusively(folder.resolve(name))) {
                out.write("written".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        // then: the links were replaced by regular files; nothing outside changed or appeared
        for (String name : List.of(".report.html.partial", ".x.partial")) {
            assertThat(Files.isSymbolicLink(folder.resolve(name))).isFalse();
            assertThat(Files.readString(folder.resolve(name))).isEqualTo("written");
        }
        assertThat(Files.readString(outside)).isEqualTo("keep");
        assertThat(dir.resolve("outside/new.txt")).doesNotExist();
    }
}
