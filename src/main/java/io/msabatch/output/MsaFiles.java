package io.msabatch.output;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Writes the service's MSA answer as an alignment file, safely: streamed row by row into a temporary file next to the
 * target ({@code .<name>.partial}), verified, then renamed into place atomically, so the target is either absent, the
 * previous complete file, or the new complete file. Also re-verifies existing files, hashes files and removes temporary
 * files left by a killed run. Stateless and thread-safe for different targets.
 */
public final class MsaFiles {

    /** Temporary files are {@code .<final name>.partial} in the target's directory. */
    public static final String TEMP_PREFIX = ".";
    public static final String TEMP_SUFFIX = ".partial";

    private static final int MAX_SHOWN_NAME = 40;

    private MsaFiles() {
    }

    /** Same as {@link #write(Path, String, String, Path, OutputFormat, boolean)} without ColabFold's first line. */
    public static WrittenFile write(Path serverCsv, String inputId, String inputSequence, Path target, OutputFormat format) {
        return write(serverCsv, inputId, inputSequence, target, format, false);
    }

    /**
     * Writes {@code target} from {@code serverCsv} (the service's headerless {@code name,sequence} CSV whose first row is
     * the seed): first the query, named {@code inputId}, then every homolog in the service's order with its name as
     * given (tab-separated statistics kept). A3M keeps rows unchanged and, with {@code colabfoldHeader}, starts with
     * ColabFold's {@code #<query length>\t1} line; FASTA drops insertions (lower-case letters and {@code .}) so every
     * row has the query's length; Stockholm keeps insertions as insert columns (see {@link StockholmWriter}). Throws
     * {@link InvalidMsaException} when the seed is not {@code inputSequence} (compared upper-case, without gaps) or a row
     * does not have the query's column count; the temporary file is then deleted and the target left alone.
     */
    public static WrittenFile write(Path serverCsv, String inputId, String inputSequence, Path target, OutputFormat format,
                                    boolean colabfoldHeader) {
        return write(serverCsv, false, inputId, inputSequence, target, format, colabfoldHeader);
    }

    /**
     * As {@link #write(Path, String, String, Path, OutputFormat, boolean)}, for an answer that is either the headerless
     * CSV or, when {@code fastaAnswer}, FASTA (the service sends {@code text/x-fasta} for some jobs): the same rows.
     */
    public static WrittenFile write(Path serverAnswer, boolean fastaAnswer, String inputId, String inputSequence,
                                    Path target, OutputFormat format, boolean colabfoldHeader) {
        return write(() -> Files.newBufferedReader(serverAnswer, StandardCharsets.UTF_8), fastaAnswer, inputId,
                inputSequence, target, format, colabfoldHeader);
    }

    /** The service's answer, from a file or held in memory: a new reader from its start at each call. */
    public interface Answer {
        BufferedReader open() throws IOException;
    }

    /** As {@link #write(Path, boolean, String, String, Path, OutputFormat, boolean)}, for an answer read by {@code serverAnswer}. */
    public static WrittenFile write(Answer serverAnswer, boolean fastaAnswer, String inputId, String inputSequence,
                                    Path target, OutputFormat format, boolean colabfoldHeader) {
        String query = ungapped(inputSequence);
        if (query.isEmpty()) {
            throw new IllegalArgumentException("input sequence of '" + inputId + "' is empty");
        }
        return writeChecked(target, inputSequence, format, out -> {
            if (format == OutputFormat.STOCKHOLM) {
                StockholmWriter.write(visitor -> readServerAnswer(serverAnswer, fastaAnswer, inputId, query, visitor),
                        query.length(), out);
                return;
            }
            if (format == OutputFormat.A3M && colabfoldHeader) {
                out.write(colabfoldHeader(query.length()));
                out.write('\n');
            }
            readServerAnswer(serverAnswer, fastaAnswer, inputId, query, (row, name, sequence) ->
                    writeRecord(out, name, format == OutputFormat.FASTA ? withoutInsertions(sequence) : sequence));
        });
    }

    /** Same as {@link #copyAs(Path, String, String, Path, OutputFormat, boolean)} without ColabFold's first line. */
    public static WrittenFile copyAs(Path source, String inputId, String inputSequence, Path target, OutputFormat format) {
        return copyAs(source, inputId, inputSequence, target, format, false);
    }

    /**
     * Writes {@code target} as a copy of an alignment file this tool wrote earlier ({@code source}, same format),
     * with the query renamed to {@code inputId}; checked and moved into place like {@link #write}. Used to reuse an
     * earlier night's MSA of the same sequence. An A3M copy starts with ColabFold's line exactly when
     * {@code colabfoldHeader} is set, whatever the source had.
     */
    public static WrittenFile copyAs(Path source, String inputId, String inputSequence, Path target, OutputFormat format,
                                     boolean colabfoldHeader) {
        String query = ungapped(inputSequence);
        return writeChecked(target, inputSequence, format, out -> {
            if (format == OutputFormat.STOCKHOLM) {
                StockholmWriter.copyRenamingQuery(source, inputId, out);
                return;
            }
            try (BufferedReader in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                String line = in.readLine();
                while (line != null && format == OutputFormat.A3M && line.startsWith("#")) {
                    line = in.readLine();
                }
                if (line == null || !line.startsWith(">")) {
                    throw new InvalidMsaException(source + " does not start with a '>' header");
                }
                if (format == OutputFormat.A3M && colabfoldHeader) {
                    out.write(colabfoldHeader(query.length()));
                    out.write('\n');
                }
                out.write('>');
                out.write(oneLine(inputId));
                out.write('\n');
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                }
            }
        });
    }

    /** ColabFold's first A3M line for one chain: {@code #<length>\t1} (chain lengths, then how many copies of each). */
    static String colabfoldHeader(int queryLength) {
        return "#" + queryLength + "\t1";
    }

    private interface Body {
        void writeTo(Writer out) throws IOException;
    }

    /** Temporary file, fsync, verification, atomic rename: the one way a final alignment file comes to exist. */
    private static WrittenFile writeChecked(Path target, String inputSequence, OutputFormat format, Body body) {
        Path temp = temporaryFileFor(target);
        try {
            Path dir = temp.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try (Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(createExclusively(temp),
                    StandardCharsets.UTF_8), 65536)) {
                body.writeTo(out);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Checked checked = check(temp, inputSequence, format);
            moveIntoPlace(temp, target);
            return new WrittenFile(target, checked.sha256(), checked.rows());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * True when {@code file} is a complete alignment of {@code inputSequence} in {@code format}: it parses, its first row
     * is the input sequence (upper-case, gaps ignored), every row has the query's column count, and (A3M) a ColabFold
     * first line, if any, names the query's length; false otherwise, a missing or unreadable file included.
     */
    public static boolean verify(Path file, String inputSequence, OutputFormat format) {
        try {
            check(file, inputSequence, format);
            return true;
        } catch (InvalidMsaException | UncheckedIOException e) {
            return false;
        }
    }

    /** SHA-256 of the file's bytes, lowercase hex. Streams the file. */
    public static String sha256(Path file) {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}, lowercase hex. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files ({@code .*.partial}) that a killed run left directly in {@code outputDir}, and
     * answers how many. Subfolders (the state folder) are not entered and links are not followed: a link with such a
     * name is removed itself, never what it points to. A missing directory has none.
     */
    public static int cleanTemporaryFiles(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(outputDir)) {
            List<Path> temporary = files.filter(MsaFiles::isTemporaryFile)
                    .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .toList();
            int deleted = 0;
            for (Path p : temporary) {
                if (Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean temporary files in " + outputDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a new file for writing that did not exist before (O_CREAT|O_EXCL, so never through a link someone planted
     * at that name); an entry left at the name (a crashed run's file, a link) is removed first, itself, not followed.
     */
    public static java.io.OutputStream createExclusively(Path file) throws IOException {
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Files.deleteIfExists(file);
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }

    static boolean isTemporaryFile(Path p) {
        String name = String.valueOf(p.getFileName());
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX) && name.length() > TEMP_PREFIX.length() + TEMP_SUFFIX.length();
    }

    static Path temporaryFileFor(Path target) {
        return target.resolveSibling(TEMP_PREFIX + target.getFileName() + TEMP_SUFFIX);
    }

    /** Renames a finished temporary file over its target (atomically where the file system can). */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is removed by cleanTemporaryFiles on the next run
        }
    }

    /** Receives the rows of the service's CSV, the seed first (renamed to the input id, written as the input). */
    interface ServerRowVisitor {
        void row(long row, String name, String a3mSequence) throws IOException;
    }

    /**
     * Streams the service's answer (the headerless CSV, or FASTA when {@code fasta}): checks the seed is {@code query}
     * and every homolog is an A3M row with the query's column count, and hands the rows over in order, the seed as
     * {@code (inputId, query)}.
     */
    static void readServerAnswer(Answer answer, boolean fasta, String inputId, String query, ServerRowVisitor visitor)
            throws IOException {
        try (BufferedReader in = answer.open()) {
            long[] rows = {0};
            ServerRowVisitor checked = (row, name, sequence) -> {
                rows[0] = row;
                if (row == 1) {
                    String seed = ungapped(sequence);
                    if (!seed.equals(query)) {
                        throw new InvalidMsaException("the service's MSA does not start with the input sequence of '"
                                + inputId + "': its seed row ('" + shown(name) + "') " + difference(seed, query));
                    }
                    visitor.row(row, inputId, query);
                } else {
                    checkRow(row, name, sequence, query.length(), OutputFormat.A3M);
                    visitor.row(row, name.isBlank() ? "row" + row : name, sequence);
                }
            };
            if (fasta) {
                fastaRows(in, checked);
            } else {
                csvRows(in, checked);
            }
            if (rows[0] == 0) {
                throw new InvalidMsaException("the service's MSA is empty (no rows)");
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof org.apache.commons.csv.CSVException bad) {
                throw new InvalidMsaException("the service's MSA is not valid CSV: " + oneLine(bad.getMessage()), bad);
            }
            throw e;
        }
    }

    /** The headerless {@code name,sequence} rows; a name with unquoted commas is put back together. */
    private static void csvRows(Reader in, ServerRowVisitor rows) throws IOException {
        try (CSVParser csv = CSVParser.builder().setReader(in).setFormat(CSVFormat.DEFAULT).get()) {
            long row = 0;
            for (CSVRecord record : csv) {
                row++;
                if (record.size() < 2) {
                    throw new InvalidMsaException("row " + row + " of the service's MSA has " + record.size()
                            + " field, expected 'name,sequence'");
                }
                rows.row(row, String.join(",", record.toList().subList(0, record.size() - 1)),
                        record.get(record.size() - 1).strip());
            }
        }
    }

    /** The records of a FASTA answer, one in memory at a time (sequence lines joined, blank lines skipped). */
    private static void fastaRows(BufferedReader in, ServerRowVisitor rows) throws IOException {
        String line = in.readLine();
        while (line != null && line.isBlank()) {
            line = in.readLine();
        }
        if (line != null && !line.startsWith(">")) {
            throw new InvalidMsaException("the service's FASTA answer does not start with a '>' header");
        }
        long row = 0;
        while (line != null) {
            String header = line.substring(1);
            StringBuilder seq = new StringBuilder();
            while ((line = in.readLine()) != null && !line.startsWith(">")) {
                seq.append(line.strip());
            }
            rows.row(++row, header, seq.toString());
        }
    }

    private static void writeRecord(Writer out, String name, String sequence) throws IOException {
        out.write('>');
        out.write(oneLine(name));
        out.write('\n');
        out.write(sequence);
        out.write('\n');
    }

    record Checked(String sha256, int rows) {
    }

    /** Parses an alignment file (streamed, one record in memory) and hashes its bytes; throws what is wrong. */
    static Checked check(Path file, String inputSequence, OutputFormat format) {
        String query = ungapped(inputSequence);
        MessageDigest digest = newDigest();
        int rows;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new DigestInputStream(Files.newInputStream(file), digest), StandardCharsets.UTF_8))) {
            rows = AlignmentRows.read(reader, file, format, new AlignmentRows.Visitor() {
                @Override
                public void row(int number, String name, CharSequence row) {
                    checkRecord(file, number, name, row, query, format);
                }

                @Override
                public void comment(String line) {
                    if (!line.equals(colabfoldHeader(query.length()))) {
                        throw new InvalidMsaException(file + ": the first line '" + shown(line) + "' is not ColabFold's '"
                                + colabfoldHeader(query.length()).replace("\t", "\\t") + "' for this query");
                    }
                }

                @Override
                public void referenceLine(String annotation) {
                    long x = annotation.chars().filter(c -> c == 'x').count();
                    if (x != query.length() || annotation.chars().anyMatch(c -> c != 'x' && c != '.')) {
                        throw new InvalidMsaException(file + ": the #=GC RF line marks " + x + " query columns ('x'), expected "
                                + query.length() + ", and only 'x' and '.'");
                    }
                }
            });
            // the whole file must pass through the digest, also what follows the last row
            reader.transferTo(Writer.nullWriter());
        } catch (NoSuchFileException e) {
            throw new InvalidMsaException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Checked(HexFormat.of().formatHex(digest.digest()), rows);
    }

    private static void checkRecord(Path file, int row, String header, CharSequence s, String query, OutputFormat format) {
        if (row == 1) {
            String seed = ungapped(s);
            if (!seed.equals(query)) {
                throw new InvalidMsaException(file + ": the first row ('" + shown(header) + "') is not the input sequence: "
                        + difference(seed, query));
            }
        }
        try {
            checkRow(row, header, s, query.length(), format);
        } catch (InvalidMsaException e) {
            throw new InvalidMsaException(file + ": " + e.getMessage());
        }
    }

    /**
     * A3M: letters, {@code -} and {@code .} only, and exactly {@code columns} upper-case letters plus {@code -}.
     * FASTA: upper-case letters and {@code -} only, exactly {@code columns} long.
     */
    static void checkRow(long row, String name, CharSequence sequence, int columns, OutputFormat format) {
        int count = 0;
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            boolean column = (c >= 'A' && c <= 'Z') || c == '-';
            boolean insertion = (c >= 'a' && c <= 'z') || c == '.';
            if (column) {
                count++;
            } else if (!insertion || format == OutputFormat.FASTA) {
                throw new InvalidMsaException("row " + row + " ('" + shown(name) + "') has " + describe(c) + " at position "
                        + (i + 1) + ", which is not allowed in " + rowKind(format));
            }
        }
        if (count != columns) {
            throw new InvalidMsaException("row " + row + " ('" + shown(name) + "') has " + count
                    + " alignment columns (upper-case letters and '-'), expected " + columns + " (the query length)");
        }
    }

    private static String rowKind(OutputFormat format) {
        return switch (format) {
            case A3M -> "an A3M row";
            case FASTA -> "an aligned FASTA row";
            case STOCKHOLM -> "a Stockholm row";
        };
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    /**
     * Upper-case, without whitespace, {@code -}, {@code .} and the chain separator {@code :}: how a seed is compared
     * with the input sequence (the MSA of a complex has its chains joined).
     */
    static String ungapped(CharSequence sequence) {
        StringBuilder sb = new StringBuilder(sequence.length());
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            if (c != '-' && c != '.' && c != ':' && !Character.isWhitespace(c)) {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    static String withoutInsertions(String a3mRow) {
        StringBuilder sb = new StringBuilder(a3mRow.length());
        for (int i = 0; i < a3mRow.length(); i++) {
            char c = a3mRow.charAt(i);
            if (!(c >= 'a' && c <= 'z') && c != '.') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String difference(String actual, String expected) {
        int n = Math.min(actual.length(), expected.length());
        int i = 0;
        while (i < n && actual.charAt(i) == expected.charAt(i)) {
            i++;
        }
        String where = i < n
                ? "first difference at position " + (i + 1) + " ('" + actual.charAt(i) + "' instead of '" + expected.charAt(i) + "')"
                : "one is a prefix of the other";
        return "has " + actual.length() + " residues, the input " + expected.length() + "; " + where;
    }

    static String shown(String name) {
        String first = name.split("\t", 2)[0].strip();
        first = oneLine(first);
        return first.length() > MAX_SHOWN_NAME ? first.substring(0, MAX_SHOWN_NAME) + "..." : first;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
