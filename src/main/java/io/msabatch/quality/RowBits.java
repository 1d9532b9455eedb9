package io.msabatch.quality;

/**
 * A row's query columns packed as bit planes, for fast identity tests: per 64-column word, one mask of the columns
 * holding a residue and five planes of the residue's letter code ({@code letter - 'A'}). Two rows' identical residues
 * are then popcounts of a few XORs and ANDs per 64 columns. Rows are stored in caller-owned {@code long[]} slices of
 * {@link #longsPerRow} longs, word-interleaved (mask, plane 0..4) so one word's data sits together.
 */
final class RowBits {

    static final int PLANES = 5;
    static final int STRIDE = PLANES + 1;

    final int columns;
    final int words;
    final int longsPerRow;

    RowBits(int columns) {
        this.columns = columns;
        this.words = (columns + 63) >>> 6;
        this.longsPerRow = words * STRIDE;
    }

    /**
     * Packs the query columns of {@code row} (upper-case letters and {@code -}; lower-case letters and {@code .} are
     * skipped) into {@code into[offset ..]} and answers the number of residues. Extra query columns are ignored.
     */
    int encode(CharSequence row, long[] into, int offset) {
        java.util.Arrays.fill(into, offset, offset + longsPerRow, 0L);
        int col = 0;
        int residues = 0;
        for (int i = 0; i < row.length() && col < columns; i++) {
            char c = row.charAt(i);
            if (c == '-') {
                col++;
            } else if (c >= 'A' && c <= 'Z') {
                int base = offset + (col >>> 6) * STRIDE;
                long bit = 1L << (col & 63);
                into[base] |= bit;
                int code = c - 'A';
                for (int p = 0; p < PLANES; p++) {
                    if ((code & (1 << p)) != 0) {
                        into[base + 1 + p] |= bit;
                    }
                }
                residues++;
                col++;
            }
        }
        return residues;
    }

    /**
     * True when rows {@code a} and {@code b} are at least 80% identical: identical residues / columns where both have a
     * residue >= 0.8, with at least one such column.
     */
    boolean similar(long[] aRows, int a, long[] bRows, int b) {
        int both = 0;
        int differ = 0;
        for (int w = 0; w < words; w++) {
            int ia = a + w * STRIDE;
            int ib = b + w * STRIDE;
            long m = aRows[ia] & bRows[ib];
            if (m == 0) {
                continue;
            }
            long x = (aRows[ia + 1] ^ bRows[ib + 1]) | (aRows[ia + 2] ^ bRows[ib + 2]) | (aRows[ia + 3] ^ bRows[ib + 3])
                    | (aRows[ia + 4] ^ bRows[ib + 4]) | (aRows[ia + 5] ^ bRows[ib + 5]);
            both += Long.bitCount(m);
            differ += Long.bitCount(x & m);
        }
        // identical / both >= 0.8  <=>  5 * identical >= 4 * both, in integers
        return both > 0 && 5 * (both - differ) >= 4 * both;
    }

    /** Identity of {@code row} to the query row (all residues): identical residues / residues of {@code row}, 0 if none. */
    double identityToQuery(long[] rows, int row, long[] queryRows, int query) {
        int residues = 0;
        int differ = 0;
        for (int w = 0; w < words; w++) {
            int ir = row + w * STRIDE;
            int iq = query + w * STRIDE;
            long m = rows[ir] & queryRows[iq];
            if (m == 0) {
                continue;
            }
            long x = (rows[ir + 1] ^ queryRows[iq + 1]) | (rows[ir + 2] ^ queryRows[iq + 2]) | (rows[ir + 3] ^ queryRows[iq + 3])
                    | (rows[ir + 4] ^ queryRows[iq + 4]) | (rows[ir + 5] ^ queryRows[iq + 5]);
            residues += Long.bitCount(m);
            differ += Long.bitCount(x & m);
        }
        return residues == 0 ? 0 : (residues - differ) / (double) residues;
    }

    /** True when {@code row} has a residue in query column {@code col}. */
    boolean hasResidue(long[] rows, int row, int col) {
        return (rows[row + (col >>> 6) * STRIDE] & (1L << (col & 63))) != 0;
    }
}
