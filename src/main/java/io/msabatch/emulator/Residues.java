package io.msabatch.emulator;

/**
 * The protein alphabet of the emulator: residue codes and the BLOSUM62 matrix. Immutable and thread-safe.
 */
final class Residues {

    /** Matrix order of BLOSUM62 (NCBI); U and O score as X. */
    static final String ORDER = "ARNDCQEGHILKMFPSTWYVBZX";

    /** Letters a seed may contain: the 20 standard amino acids plus X, B, Z, U, O. */
    static final String ALLOWED = "ACDEFGHIKLMNPQRSTVWYXBZUO";

    static final int X = ORDER.indexOf('X');

    private static final String[] BLOSUM62 = {
        " 4 -1 -2 -2  0 -1 -1  0 -2 -1 -1 -1 -1 -2 -1  1  0 -3 -2  0 -2 -1  0",
        "-1  5  0 -2 -3  1  0 -2  0 -3 -2  2 -1 -3 -2 -1 -1 -3 -2 -3 -1  0 -1",
        "-2  0  6  1 -3  0  0  0  1 -3 -3  0 -2 -3 -2  1  0 -4 -2 -3  3  0 -1",
        "-2 -2  1  6 -3  0  2 -1 -1 -3 -4 -1 -3 -3 -1  0 -1 -4 -3 -3  4  1 -1",
        " 0 -3 -3 -3  9 -3 -4 -3 -3 -1 -1 -3 -1 -2 -3 -1 -1 -2 -2 -1 -3 -3 -2",
        "-1  1  0  0 -3  5  2 -2  0 -3 -2  1  0 -3 -1  0 -1 -2 -1 -2  0  3 -1",
        "-1  0  0  2 -4  2  5 -2  0 -3 -3  1 -2 -3 -1  0 -1 -3 -2 -2  1  4 -1",
        " 0 -2  0 -1 -3 -2 -2  6 -2 -4 -4 -2 -3 -3 -2  0 -2 -2 -3 -3 -1 -2 -1",
        "-2  0  1 -1 -3  0  0 -2  8 -3 -3 -1 -2 -1 -2 -1 -2 -2  2 -3  0  0 -1",
        "-1 -3 -3 -3 -1 -3 -3 -4 -3  4  2 -3  1  0 -3 -2 -1 -3 -1  3 -3 -3 -1",
        "-1 -2 -3 -4 -1 -2 -3 -4 -3  2  4 -2  2  0 -3 -2 -1 -2 -1  1 -4 -3 -1",
        "-1  2  0 -1 -3  1  1 -2 -1 -3 -2  5 -1 -3 -1  0 -1 -3 -2 -2  0  1 -1",
        "-1 -1 -2 -3 -1  0 -2 -3 -2  1  2 -1  5  0 -2 -1 -1 -1 -1  1 -3 -1 -1",
        "-2 -3 -3 -3 -2 -3 -3 -3 -1  0  0 -3  0  6 -4 -2 -2  1  3 -1 -3 -3 -1",
        "-1 -2 -2 -1 -3 -1 -1 -2 -2 -3 -3 -1 -2 -4  7 -1 -1 -4 -3 -2 -2 -1 -2",
        " 1 -1  1  0 -1  0  0  0 -1 -2 -2  0 -1 -2 -1  4  1 -3 -2 -2  0  0  0",
        " 0 -1  0 -1 -1 -1 -1 -2 -2 -1 -1 -1 -1 -2 -1  1  5 -2 -2  0 -1 -1  0",
        "-3 -3 -4 -4 -2 -2 -3 -2 -2 -3 -2 -3 -1  1 -4 -3 -2 11  2 -3 -4 -3 -2",
        "-2 -2 -2 -3 -2 -1 -2 -3  2 -1 -1 -2 -1  3 -3 -2 -2  2  7 -1 -3 -2 -1",
        " 0 -3 -3 -3 -1 -2 -2 -3 -3  3  1 -2  1 -1 -2 -2  0 -3 -1  4 -3 -2 -1",
        "-2 -1  3  4 -3  0  1 -1  0 -3 -4  0 -3 -3 -2  0 -1 -4 -3 -3  4  1 -1",
        "-1  0  0  1 -3  3  4 -2  0 -3 -3  1 -1 -3 -1  0 -1 -3 -2 -2  1  4 -1",
        " 0 -1 -1 -1 -2 -1 -1 -1 -1 -1 -1 -1 -1 -1 -2  0  0 -2 -1 -1 -1 -1 -1",
    };

    /** Substitution scores indexed by residue code. */
    static final int[][] MATRIX = new int[ORDER.length()][ORDER.length()];

    private static final byte[] CODE = new byte[128];

    static {
        for (int i = 0; i < BLOSUM62.length; i++) {
            String[] cells = BLOSUM62[i].trim().split("\\s+");
            for (int j = 0; j < cells.length; j++) {
                MATRIX[i][j] = Integer.parseInt(cells[j]);
            }
        }
        java.util.Arrays.fill(CODE, (byte) X);
        for (int i = 0; i < ORDER.length(); i++) {
            CODE[ORDER.charAt(i)] = (byte) i;
            CODE[Character.toLowerCase(ORDER.charAt(i))] = (byte) i;
        }
    }

    private Residues() {
    }

    /** Matrix code of an ASCII letter; unknown letters (U, O, anything else) map to X. */
    static byte code(int letter) {
        return letter >= 0 && letter < 128 ? CODE[letter] : (byte) X;
    }

    static byte[] encode(byte[] ascii) {
        byte[] codes = new byte[ascii.length];
        for (int i = 0; i < ascii.length; i++) {
            codes[i] = code(ascii[i]);
        }
        return codes;
    }
}
