package io.msabatch.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an MSA as Stockholm 1.0 in one block: {@code # STOCKHOLM 1.0}, a {@code #=GF AU} line, a {@code #=GS <name> DE}
 * line per homolog carrying the service's statistics, a {@code #=GC RF} line ({@code x} for each query column,
 * {@code .} for each insert column), one line per sequence, {@code //}. A3M insertions become insert columns: after
 * query column k there are as many insert columns as the longest insertion any row has there; a row's inserted letters
 * stay lower-case and are padded with {@code .}, so every row has the same width and its query columns are exactly its
 * upper-case letters and {@code -} (HMMER's convention; {@code hmmbuild --hand} builds a model of the query's length).
 * Sequence names are the first word of each header with control characters and spaces replaced by {@code _}, made
 * unique with {@code _2}, {@code _3}... as Stockholm requires. Two streaming passes over the rows; memory holds the
 * insert widths (query length + 1 ints) and the names seen.
 */
final class StockholmWriter {

    static final String AUTHOR_LINE = "#=GF AU msa-batch";

    /** Hands the MSA's rows, query first, to the visitor; called once per pass, must give the same rows each time. */
    interface RowSource {
        void rows(MsaFiles.ServerRowVisitor visitor) throws IOException;
    }

    private StockholmWriter() {
    }

    static void write(RowSource source, int columns, Writer out) throws IOException {
        int[] maxInsert = new int[columns + 1];
        int[] nameWidth = {AlignmentRows.RF_PREFIX.length()};
        out.write(AlignmentRows.STOCKHOLM_HEADER + "\n");
        out.write(AUTHOR_LINE + "\n");
        UniqueNames names = new UniqueNames();
        source.rows((row, header, sequence) -> {
            String name = names.next(row == 1 ? header : firstWord(header));
            nameWidth[0] = Math.max(nameWidth[0], name.length());
            measureInsertions(sequence, maxInsert);
            String description = row == 1 ? "" : description(header);
            if (!description.isEmpty()) {
                out.write("#=GS " + name + " DE " + description + "\n");
            }
        });
        int width = nameWidth[0] + 1;
        out.write(padded(AlignmentRows.RF_PREFIX, width));
        writeReferenceLine(maxInsert, out);
        out.write('\n');
        UniqueNames again = new UniqueNames();
        source.rows((row, header, sequence) -> {
            out.write(padded(again.next(row == 1 ? header : firstWord(header)), width));
            writeExpanded(sequence, maxInsert, out);
            out.write('\n');
        });
        out.write(AlignmentRows.STOCKHOLM_END + "\n");
    }

    /**
     * Copies a Stockholm file this class wrote, line by line, with the query's name (the first sequence line's) replaced
     * by {@code inputId}, made unique among the other rows' names.
     */
    static void copyRenamingQuery(Path source, String inputId, Writer out) throws IOException {
        Set<String> others = new HashSet<>();
        boolean[] first = {true};
        AlignmentRows.read(source, OutputFormat.STOCKHOLM, (number, name, row) -> {
            if (!first[0]) {
                others.add(name);
            }
            first[0] = false;
        });
        String name = clean(inputId);
        for (int n = 2; others.contains(name); n++) {
            name = clean(inputId) + "_" + n;
        }
        boolean renamed = false;
        try (BufferedReader in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
            String line;
            boolean started = false;
            while ((line = in.readLine()) != null) {
                String s = line.strip();
                boolean sequenceLine = started && !s.isEmpty() && !s.startsWith("#") && !s.equals(AlignmentRows.STOCKHOLM_END);
                started |= s.equals(AlignmentRows.STOCKHOLM_HEADER);
                if (sequenceLine && !renamed) {
                    int cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('\t'));
                    out.write(padded(name, Math.max(cut, name.length())));
                    out.write(s, cut + 1, s.length() - cut - 1);
                    renamed = true;
                } else {
                    out.write(line);
                }
                out.write('\n');
            }
        }
    }

    private static void measureInsertions(CharSequence a3m, int[] maxInsert) {
        int k = 0;
        int run = 0;
        for (int i = 0; i < a3m.length(); i++) {
            char c = a3m.charAt(i);
            if (isQueryColumn(c)) {
                maxInsert[k] = Math.max(maxInsert[k], run);
                k++;
                run = 0;
            } else if (c >= 'a' && c <= 'z') {
                run++;
            }
        }
        maxInsert[k] = Math.max(maxInsert[k], run);
    }

    private static void writeReferenceLine(int[] maxInsert, Writer out) throws IOException {
        for (int k = 0; k < maxInsert.length; k++) {
            dots(maxInsert[k], out);
            if (k < maxInsert.length - 1) {
                out.write('x');
            }
        }
    }

    private static void writeExpanded(CharSequence a3m, int[] maxInsert, Writer out) throws IOException {
        int k = 0;
        int run = 0;
        for (int i = 0; i < a3m.length(); i++) {
            char c = a3m.charAt(i);
            if (isQueryColumn(c)) {
                dots(maxInsert[k] - run, out);
                out.write(c);
                k++;
                run = 0;
            } else if (c >= 'a' && c <= 'z') {
                out.write(c);
                run++;
            }
            // '.' in an A3M row is an insert-state gap: the padding below stands for it
        }
        dots(maxInsert[k] - run, out);
    }

    private static boolean isQueryColumn(char c) {
        return (c >= 'A' && c <= 'Z') || c == '-';
    }

    private static void dots(int n, Writer out) throws IOException {
        for (int i = 0; i < n; i++) {
            out.write('.');
        }
    }

    private static String padded(String name, int width) {
        StringBuilder sb = new StringBuilder(width + 1).append(name);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.append(' ').toString();
    }

    private static String firstWord(String header) {
        String h = header.strip();
        int cut = 0;
        while (cut < h.length() && !Character.isWhitespace(h.charAt(cut))) {
            cut++;
        }
        return h.substring(0, cut);
    }

    private static String description(String header) {
        String h = header.strip();
        return MsaFiles.oneLine(h.substring(firstWord(h).length())).replace('\t', ' ').strip();
    }

    /** A name Stockholm can hold: no spaces or control characters, never empty, never a {@code #} line. */
    static String clean(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.strip().codePoints().forEach(cp -> sb.appendCodePoint(Character.isWhitespace(cp) || Character.isISOControl(cp) ? '_' : cp));
        if (sb.isEmpty()) {
            return "row";
        }
        if (sb.charAt(0) == '#' || sb.toString().equals(AlignmentRows.STOCKHOLM_END)) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /** Gives each row a cleaned name not given before in this file. */
    private static final class UniqueNames {
        private final Set<String> seen = new HashSet<>();

        String next(String raw) {
            String base = clean(raw);
            String name = base;
            for (int n = 2; !seen.add(name); n++) {
                name = base + "_" + n;
            }
            return name;
        }
    }
}
