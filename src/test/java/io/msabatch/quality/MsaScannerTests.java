package io.msabatch.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsaScannerTests {

    @TempDir
    Path dir;

    static Path realMsa(String name) {
        try {
            return Path.of(MsaScannerTests.class.getResource("/io/msabatch/output/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String seedOf(Path csv) throws Exception {
        String first = Files.readAllLines(csv).get(0);
        return first.substring(first.indexOf(',') + 1).strip();
    }

    private Path written(String csv, OutputFormat format) throws Exception {
        Path server = realMsa(csv);
        return MsaFiles.write(server, "Q", seedOf(server), dir.resolve("q." + format.extension()), format).path();
    }

    @Test
    void saysAQueryOnlyMsaIsQueryOnly() throws Exception {
        // given
        Path file = written("real-query-only.csv", OutputFormat.A3M);

        // when
        MsaQuality q = MsaScanner.quality(file, OutputFormat.A3M);

        // then
        assertThat(q.sequences()).isEqualTo(1);
        assertThat(q.queryLength()).isEqualTo(59);
        assertThat(q.neff()).isEqualTo(1.0);
        assertThat(q.neffEstimated()).isFalse();
        assertThat(q.coverageMean()).isEqualTo(1.0);
        assertThat(q.coverageMin()).isEqualTo(1.0);
        assertThat(q.warning(30)).isEqualTo(MsaWarning.QUERY_ONLY);
        assertThat(MsaWarning.QUERY_ONLY.code()).isEqualTo("query-only");
    }

    @Test
    void countsIdentityOverColumnsWhereBothRowsHaveResidues() throws Exception {
        // given a 10-column query and
        //   near: 9 of 10 identical (90%)                         -> similar to the query
        //   frag: 4 residues, all identical to the query (100%)   -> similar to query and near (gaps do not count)
        //   far:  5 of 10 identical, with an insertion (ignored) -> similar to none
        //   none: no residue at all                               -> similar to none; weight 1 by itself
        Path file = Files.writeString(dir.resolve("hand.a3m"), """
                >query
                MKVLAAGLLL
                >near
                MKVLAAGLLI
                >frag
                ---LAAG---
                >far
                MKVLAggggWWWWW
                >none
                ----------
                """);

        // when
        MsaQuality q = MsaScanner.quality(file, OutputFormat.A3M);

        // then query, near and frag are each other's neighbours: 3 x 1/3; far and none: 1 each
        assertThat(q.sequences()).isEqualTo(5);
        assertThat(q.neff()).isCloseTo(3.0, within(1e-12));
        assertThat(q.neff()).isCloseTo(NaiveNeff.of(file, OutputFormat.A3M), within(1e-12));
        // residues per column: 3,3,3,4,4,4,4,3,3,3 of 5 rows
        assertThat(q.coverageMean()).isCloseTo(34 / 50.0, within(1e-12));
        assertThat(q.coverageMin()).isCloseTo(3 / 5.0, within(1e-12));
        assertThat(q.warning(30)).isEqualTo(MsaWarning.SHALLOW);
        assertThat(q.warning(3)).isNull();
        assertThat(MsaWarning.SHALLOW.describe(q, 30)).isEqualTo("shallow MSA: Neff 3.0 < 30 (5 sequences)");
    }

    @Test
    void givesTheSameFiguresForA3mFastaAndStockholm() throws Exception {
        // given one real MSA (51 homologs) in the three formats
        MsaQuality a3m = MsaScanner.quality(written("real-52-rows.csv", OutputFormat.A3M), OutputFormat.A3M);
        MsaQuality fasta = MsaScanner.quality(written("real-52-rows.csv", OutputFormat.FASTA), OutputFormat.FASTA);
        MsaQuality sto = MsaScanner.quality(written("real-52-rows.csv", OutputFormat.STOCKHOLM), OutputFormat.STOCKHOLM);

        // then
        assertThat(a3m.sequences()).isEqualTo(52);
        assertThat(a3m.queryLength()).isEqualTo(361);
        assertThat(fasta).isEqualTo(a3m);
        assertThat(sto).isEqualTo(a3m);
        assertThat(a3m.neff()).isCloseTo(NaiveNeff.of(written("real-52-rows.csv", OutputFormat.A3M), OutputFormat.A3M), within(1e-9));
        assertThat(a3m.neff()).isBetween(2.0, 52.0);
        assertThat(a3m.coverageMin()).isLessThan(a3m.coverageMean());
    }

    @Test
    void exactNeffMatchesThePlainDefinitionOnADeepMsa() throws Exception {
        // given 1,500 rows in 40 families, queries longer than one 64-column word
        Path file = SyntheticMsa.write(dir.resolve("deep.a3m"), SyntheticMsa.protein(150, 1), 1_500, 40, 0.08, 2);

        // when
        MsaQuality q = MsaScanner.quality(file, OutputFormat.A3M);

        // then
        assertThat(q.neffEstimated()).isFalse();
        assertThat(q.neff()).isCloseTo(NaiveNeff.of(file, OutputFormat.A3M), within(1e-9));
    }

    @Test
    void estimateAboveTheExactLimitStaysCloseToTheExactNeff() throws Exception {
        // given deep MSAs of three shapes: few large families of near-copies, many diverse families, a mix
        record Shape(int families, double mutation) {
        }
        Shape[] shapes = {new Shape(15, 0.03), new Shape(400, 0.15), new Shape(120, 0.07)};
        QualitySettings estimate = QualitySettings.defaults().withoutPicture().withExactLimit(1_000);
        int seed = 10;
        for (Shape shape : shapes) {
            Path file = SyntheticMsa.write(dir.resolve("msa" + seed + ".a3m"), SyntheticMsa.protein(220, seed), 6_000,
                    shape.families(), shape.mutation(), seed++);

            // when
            MsaQuality exact = MsaScanner.scan(file, OutputFormat.A3M, estimate.withExactLimit(6_000)).quality();
            MsaQuality estimated = MsaScanner.scan(file, OutputFormat.A3M, estimate).quality();

            // then: within 10% (the standard error of 500 sampled rows is ~2-4% on these)
            assertThat(exact.neffEstimated()).isFalse();
            assertThat(estimated.neffEstimated()).isTrue();
            assertThat(estimated.neff()).as(shape + ": exact " + exact.neff())
                    .isCloseTo(exact.neff(), within(0.10 * exact.neff()));
            assertThat(estimated.coverageMean()).isEqualTo(exact.coverageMean());
        }
    }

    @Test
    void givesTheSameEstimateForTheSameFile() throws Exception {
        Path file = SyntheticMsa.write(dir.resolve("msa.a3m"), SyntheticMsa.protein(120, 3), 3_000, 100, 0.1, 3);
        QualitySettings settings = QualitySettings.defaults().withExactLimit(600);

        assertThat(MsaScanner.scan(file, OutputFormat.A3M, settings).quality())
                .isEqualTo(MsaScanner.scan(file, OutputFormat.A3M, settings).quality());
    }

    @Test
    void longQueriesLowerTheExactLimitToStayWithinMemory() throws Exception {
        // given 400 rows of a 4,000-residue query and room for only 100 such rows
        Path file = SyntheticMsa.write(dir.resolve("long.a3m"), SyntheticMsa.protein(4_000, 4), 400, 30, 0.05, 4);
        int rowBytes = new RowBits(4_000).longsPerRow * 8;
        QualitySettings settings = new QualitySettings(5_000, 50, 100L * rowBytes, 0, 200, 1);

        // when
        MsaQuality q = MsaScanner.scan(file, OutputFormat.A3M, settings).quality();

        // then
        MsaQuality exact = MsaScanner.scan(file, OutputFormat.A3M, new QualitySettings(5_000, 50, 1_000L * rowBytes, 0, 200, 1))
                .quality();
        assertThat(q.neffEstimated()).isTrue();
        assertThat(exact.neffEstimated()).isFalse();
        assertThat(q.neff()).isCloseTo(exact.neff(), within(0.10 * exact.neff()));
    }

    @Test
    void picturesASampleSortedByIdentityWithTheCoverageLine() throws Exception {
        // given a real MSA of 52 rows over 361 columns, a picture of at most 20 rows and 100 columns
        Path file = written("real-52-rows.csv", OutputFormat.A3M);
        QualitySettings settings = new QualitySettings(5_000, 500, 16L << 20, 20, 100, 7);

        // when
        MsaScan scan = MsaScanner.scan(file, OutputFormat.A3M, settings);
        CoveragePicture picture = scan.picture();

        // then
        assertThat(picture.sequences()).isEqualTo(52);
        assertThat(picture.queryLength()).isEqualTo(361);
        assertThat(picture.bins()).isEqualTo(100);
        assertThat(picture.identity()).hasSize(20);
        for (int r = 1; r < 20; r++) {
            assertThat(picture.identity()[r]).isLessThanOrEqualTo(picture.identity()[r - 1]);
        }
        assertThat(picture.coverage()).hasSize(100);
        assertThat(java.util.Arrays.stream(picture.coverage()).boxed().toList()).allMatch(c -> c >= 1 && c <= 52);
        double meanOfLine = java.util.Arrays.stream(picture.coverage()).average().orElseThrow();
        assertThat(meanOfLine / 52).isCloseTo(scan.quality().coverageMean(), within(0.02));
        CoveragePicture back = CoveragePicture.fromJson(picture.toJson());
        assertThat(back.toJson()).isEqualTo(picture.toJson());
        assertThat(picture.toJson().length()).isLessThan(3_000);
    }

    @Test
    void picturesEveryRowOfASmallMsaTheQueryFirst() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("small.a3m"), ">q\nMKVLAAGLLL\n>a\nMKVL------\n>b\n-----AGLLI\n");

        // when
        CoveragePicture p = MsaScanner.scan(file, OutputFormat.A3M, QualitySettings.defaults()).picture();

        // then
        assertThat(p.bins()).isEqualTo(10);
        assertThat(p.identity()).containsExactly(1.0f, 1.0f, 0.8f);
        assertThat(p.coverage()).containsExactly(2, 2, 2, 2, 1, 2, 2, 2, 2, 2);
        assertThat(p.covers(2, 5)).isTrue();
        assertThat(p.covers(2, 4)).isFalse();
    }
}
