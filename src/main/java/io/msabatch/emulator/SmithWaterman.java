package io.msabatch.emulator;

import java.util.Arrays;

/**
 * Local alignment (Smith-Waterman-Gotoh) with BLOSUM62 and affine gaps, BLAST convention: a gap of length L costs
 * {@code open + L * extend} (defaults 11 and 1). Stateless and thread-safe; sequences are residue codes from
 * {@link Residues}.
 */
final class SmithWaterman {

    static final int GAP_OPEN = 11;
    static final int GAP_EXTEND = 1;
    private static final int NEG = -1_000_000;

    private SmithWaterman() {
    }

    /** Best local score, linear memory. */
    static int score(byte[] query, byte[] target) {
        return bandedScore(query, target, 0, Integer.MAX_VALUE / 4);
    }

    /**
     * Best local score of paths within {@code halfWidth} diagonals of {@code diagonal} (target position minus query
     * position), linear memory; a cheap filter before a full alignment.
     */
    static int bandedScore(byte[] query, byte[] target, int diagonal, int halfWidth) {
        int n = target.length;
        int go = GAP_OPEN + GAP_EXTEND;
        int ge = GAP_EXTEND;
        int[] h = new int[n + 1];
        int[] e = new int[n + 1];
        Arrays.fill(e, NEG);
        int best = 0;
        for (int i = 1; i <= query.length; i++) {
            int[] row = Residues.MATRIX[query[i - 1]];
            long lo = Math.max(1L, (long) i + diagonal - halfWidth);
            long hi = Math.min(n, (long) i + diagonal + halfWidth);
            if (lo > hi) {
                continue;
            }
            int from = (int) lo;
            int to = (int) hi;
            int hDiag = h[from - 1];
            int hLeft = 0;
            int f = NEG;
            for (int j = from; j <= to; j++) {
                int hUp = h[j];
                int ej = Math.max(hUp - go, e[j] - ge);
                e[j] = ej;
                f = Math.max(hLeft - go, f - ge);
                int v = hDiag + row[target[j - 1]];
                if (ej > v) {
                    v = ej;
                }
                if (f > v) {
                    v = f;
                }
                if (v < 0) {
                    v = 0;
                }
                hDiag = hUp;
                h[j] = v;
                hLeft = v;
                if (v > best) {
                    best = v;
                }
            }
        }
        return best;
    }

    /** The path of a best local alignment. */
    record Alignment(int score, int queryStart, int queryEnd, int targetStart, int targetEnd, byte[] ops) {
        static final byte MATCH = 0;
        /** A query residue against a gap in the target. */
        static final byte DELETION = 1;
        /** A target residue against a gap in the query. */
        static final byte INSERTION = 2;
    }

    /** Best local alignment with traceback; positions are 1-based and inclusive; ops run from start to end. */
    static Alignment align(byte[] query, byte[] target) {
        int m = query.length;
        int n = target.length;
        int w = n + 1;
        int go = GAP_OPEN + GAP_EXTEND;
        int ge = GAP_EXTEND;
        byte[] trace = new byte[(m + 1) * w];
        int[] h = new int[n + 1];
        int[] e = new int[n + 1];
        Arrays.fill(e, NEG);
        int best = 0;
        int bi = 0;
        int bj = 0;
        for (int i = 1; i <= m; i++) {
            int[] row = Residues.MATRIX[query[i - 1]];
            int hDiag = 0;
            int hLeft = 0;
            int f = NEG;
            int base = i * w;
            for (int j = 1; j <= n; j++) {
                int hUp = h[j];
                int bits = 0;
                int eOpen = hUp - go;
                int eExt = e[j] - ge;
                int ej;
                if (eOpen >= eExt) {
                    ej = eOpen;
                    bits |= 4;
                } else {
                    ej = eExt;
                }
                e[j] = ej;
                int fOpen = hLeft - go;
                int fExt = f - ge;
                if (fOpen >= fExt) {
                    f = fOpen;
                    bits |= 8;
                } else {
                    f = fExt;
                }
                int v = hDiag + row[target[j - 1]];
                int src = 1;
                if (ej > v) {
                    v = ej;
                    src = 2;
                }
                if (f > v) {
                    v = f;
                    src = 3;
                }
                if (v <= 0) {
                    v = 0;
                    src = 0;
                }
                trace[base + j] = (byte) (bits | src);
                hDiag = hUp;
                h[j] = v;
                hLeft = v;
                if (v > best) {
                    best = v;
                    bi = i;
                    bj = j;
                }
            }
        }
        byte[] ops = new byte[m + n];
        int k = ops.length;
        int i = bi;
        int j = bj;
        int state = 0; // 0 = H, 1 = vertical gap (deletion), 2 = horizontal gap (insertion)
        while (i > 0 && j > 0) {
            int t = trace[i * w + j];
            if (state == 0) {
                int src = t & 3;
                if (src == 0) {
                    break;
                } else if (src == 1) {
                    ops[--k] = Alignment.MATCH;
                    i--;
                    j--;
                } else {
                    state = src == 2 ? 1 : 2;
                }
            } else if (state == 1) {
                ops[--k] = Alignment.DELETION;
                state = (t & 4) != 0 ? 0 : 1;
                i--;
            } else {
                ops[--k] = Alignment.INSERTION;
                state = (t & 8) != 0 ? 0 : 2;
                j--;
            }
        }
        return new Alignment(best, i + 1, bi, j + 1, bj, Arrays.copyOfRange(ops, k, ops.length));
    }
}
