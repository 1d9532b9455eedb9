package io.msabatch.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Streams the rows of an alignment file in file order, one row in memory at a time: A3M and aligned FASTA records
 * ({@code >name} then sequence lines), or a Stockholm 1.0 alignment in the one-block form this tool writes (one line
 * per sequence). Checks the file's structure (a header before any sequence; for Stockholm the {@code # STOCKHOLM 1.0}
 * line, rows and {@code #=GC RF} of one width, the closing {@code //}) and throws {@link InvalidMsaException} naming
 * the line otherwise; it does not check letters or column counts (see {@link MsaFiles#verify}). Stateless, thread-safe.
 */
public final class AlignmentRows {

    /** Receives rows. The {@code row} buffer is reused for the next row: copy what must outlive the call. */
    @FunctionalInterface
    public interface Visitor {

        /**
         * One row: its 1-based number, its name (A3M/FASTA: the header line without {@code >}, tabs kept; Stockholm: the
         * sequence name) and its letters. Upper-case letters and {@code -} are query columns; lower-case letters and
         * {@code .} are insertions (A3M) or insert columns (Stockholm).
         */
        void row(int number, String name, CharSequence row);

        /** A line that starts with {@code #} before the first A3M record (ColabFold's {@code #<length>\t1}). */
        default void comment(String line) {
        }

        /** A Stockholm {@code #=GC RF} annotation (query columns {@code x}, insert columns {@code .}). */
        default void referenceLine(String annotation) {
        }
    }

    static final String STOCKHOLM_HEADER = "# STOCKHOLM 1.0";
    static final String STOCKHOLM_END = "//";
    static final String RF_PREFIX = "#=GC RF";

    private AlignmentRows() {
    }

    /** Reads every row of {@code file} (UTF-8) in order and answers how many there were. */
    public static int read(Path file, OutputFormat format, Visitor visitor) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file, format, visitor);
        } catch (NoSuchFileException e) {
            throw new InvalidMsaException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static int read(BufferedReader in, Path file, OutputFormat format, Visitor visitor) throws IOException {
        int rows = format == OutputFormat.STOCKHOLM ? readStockholm(in, file, visitor) : readFasta(in, file, format, visitor);
        if (rows == 0) {
            throw new InvalidMsaException(file + " holds no alignment rows");
        }
        return rows;
    }

    private static int readFasta(BufferedReader in, Path file, OutputFormat format, Visitor visitor) throws IOException {
        String header = null;
        StringBuilder sequence = new StringBuilder();
        int rows = 0;
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.startsWith(">")) {
                if (header != null) {
                    visitor.row(++rows, header, sequence);
                }
                header = line.substring(1);
                sequence.setLength(0);
            } else if (header == null && format == OutputFormat.A3M && line.startsWith("#")) {
                visitor.comment(line);
            } else if (!line.isBlank()) {
                if (header == null) {
                    throw new InvalidMsaException(file + ": line " + lineNo + " comes before the first '>' header");
                }
                appendStripped(sequence, line);
            }
        }
        if (header != null) {
            visitor.row(++rows, header, sequence);
        }
        return rows;
    }

    private static int readStockholm(BufferedReader in, Path file, Visitor visitor) throws IOException {
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (!line.isBlank()) {
                break;
            }
        }
        if (line == null || !line.strip().equals(STOCKHOLM_HEADER)) {
            throw new InvalidMsaException(file + ": line " + lineNo + " is not '" + STOCKHOLM_HEADER + "'");
        }
        StringBuilder row = new StringBuilder();
        int rows = 0;
        int width = -1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals(STOCKHOLM_END)) {
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (!line.isBlank()) {
                        throw new InvalidMsaException(file + ": line " + lineNo + " follows the end of the alignment ('//')");
                    }
                }
                return rows;
            }
            if (s.startsWith(RF_PREFIX + " ") || s.startsWith(RF_PREFIX + "\t")) {
                String annotation = s.substring(RF_PREFIX.length()).strip();
                width = sameWidth(file, lineNo, "the #=GC RF line", annotation.length(), width);
                visitor.referenceLine(annotation);
                continue;
            }
            if (s.startsWith("#")) {
                continue; // #=GF, #=GS, #=GR, other #=GC lines and comments carry no residues
            }
            int cut = lastWhitespace(s);
            if (cut < 0) {
                throw new InvalidMsaException(file + ": line " + lineNo + " is not '<name> <aligned sequence>'");
            }
            row.setLength(0);
            row.append(s, cut + 1, s.length());
            width = sameWidth(file, lineNo, "row " + (rows + 1), row.length(), width);
            visitor.row(++rows, s.substring(0, cut).strip(), row);
        }
        throw new InvalidMsaException(file + " ends before the closing '//' (truncated?)");
    }

    private static int sameWidth(Path file, long lineNo, String what, int length, int width) {
        if (width >= 0 && length != width) {
            throw new InvalidMsaException(file + ": line " + lineNo + ": " + what + " is " + length
                    + " columns wide, the alignment " + width + " (Stockholm rows must all have the same length)");
        }
        return length;
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void appendStripped(StringBuilder sb, String line) {
        int from = 0;
        int to = line.length();
        while (from < to && Character.isWhitespace(line.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
            to--;
        }
        sb.append(line, from, to);
    }
}
