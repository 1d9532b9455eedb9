package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures the compute time of one search job (seed against the shipped reference set, one thread) for the
 * 108-, 406- and 1,009-residue seeds of seeds.fasta and prints it; README quotes the figures. No timing assertion.
 */
@Tag("benchmark")
class EmulatorSearchBenchmarkTests {

    @Test
    void measuresSearchTimePerSeedLength() {
        // given
        HomologySearch search = new HomologySearch(ReferenceDatabase.loadDefault());
        List<String> seeds = SmithWatermanTests.seeds();
        for (String seed : seeds) {
            search.msa(seed); // warm-up
        }
        for (String seed : seeds) {
            // when
            int runs = 5;
            long t0 = System.nanoTime();
            int rows = 0;
            for (int i = 0; i < runs; i++) {
                rows = search.msa(seed).size();
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            // then
            System.out.printf("EMULATOR-BENCH seed %d residues: %.0f ms per job, %d rows%n", seed.length(), ms, rows);
            assertThat(rows).isGreaterThan(1);
        }
    }
}
