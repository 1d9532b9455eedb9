package io.msabatch.quality;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A uniform sample of an MSA's rows (reservoir sampling) reduced to what the coverage picture draws: each row's
 * identity to the query and which column bins it covers. Bounded: {@code rows x bins} bits plus one double per row.
 */
final class PictureSample {

    private final RowBits bits;
    private final int capacity;
    private final int bins;
    private final int[] binOf;
    private final int[] binWidth;
    private final SplittableRandom random;
    private final double[] identity;
    private final long[][] covered;
    private int held;

    PictureSample(RowBits bits, int rows, int maxColumns, SplittableRandom random) {
        this.bits = bits;
        this.capacity = rows;
        this.bins = Math.max(1, Math.min(bits.columns, maxColumns));
        this.binOf = new int[bits.columns];
        this.binWidth = new int[bins];
        for (int c = 0; c < bits.columns; c++) {
            binOf[c] = (int) ((long) c * bins / bits.columns);
            binWidth[binOf[c]]++;
        }
        this.random = random;
        this.identity = new double[rows];
        this.covered = new long[rows][];
    }

    /** Offers row number {@code t} (0-based, the query first), packed in {@code rows[offset..]}. */
    void offer(int t, long[] rows, int offset, long[] query) {
        if (capacity == 0) {
            return;
        }
        int slot = t < capacity ? t : random.nextInt(t + 1);
        if (slot >= capacity) {
            return;
        }
        identity[slot] = bits.identityToQuery(rows, offset, query, 0);
        int[] inBin = new int[bins];
        for (int c = 0; c < bits.columns; c++) {
            if (bits.hasResidue(rows, offset, c)) {
                inBin[binOf[c]]++;
            }
        }
        long[] mask = new long[(bins + 63) >>> 6];
        for (int b = 0; b < bins; b++) {
            // a bin counts as covered when the row has a residue in at least half of its columns
            if (2 * inBin[b] >= binWidth[b] && inBin[b] > 0) {
                mask[b >>> 6] |= 1L << (b & 63);
            }
        }
        covered[slot] = mask;
        held = Math.max(held, slot + 1);
    }

    CoveragePicture build(int sequences, int[] columnCoverage) {
        double[] perBin = new double[bins];
        for (int c = 0; c < columnCoverage.length; c++) {
            perBin[binOf[c]] += columnCoverage[c];
        }
        int[] coverage = new int[bins];
        for (int b = 0; b < bins; b++) {
            coverage[b] = (int) Math.round(perBin[b] / binWidth[b]);
        }
        Integer[] order = IntStream.range(0, held).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -identity[i]));
        float[] sortedIdentity = new float[held];
        long[][] sortedCovered = new long[held][];
        for (int r = 0; r < held; r++) {
            sortedIdentity[r] = (float) identity[order[r]];
            sortedCovered[r] = covered[order[r]];
        }
        return new CoveragePicture(sequences, bits.columns, bins, coverage, sortedIdentity, sortedCovered);
    }
}
