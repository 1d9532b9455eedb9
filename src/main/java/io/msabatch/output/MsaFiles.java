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

    /**
     * Writes {@code target} from {@code serverCsv} (the service's headerless {@code name,sequence} CSV whose first row is
     * the seed): first the query, named {@code >inputId}, then every homolog in the service's order with its name as
     * given (tab-separated statistics kept). A3M keeps rows unchanged; FASTA drops insertions (lower-case letters and
     * {@code .}) so every row has the query's length. Throws {@link InvalidMsaException} when the seed is not
     * {@code inputSequence} (compared upper-case, without gaps) or a row does not have the query's column count; the
     * temporary file is then deleted and the target left alone.
     */
    public static WrittenFile write(Path serverCsv, String inputId, String inputSequence, Path target, OutputFormat format) {
        return write(serverCsv, false, inputId, inputSequence, target, format);
    }

    /**
     * As {@link #write(Path, String, String, Path, OutputFormat)}, for an answer that is either the headerless CSV or,
     * when {@code fastaAnswer}, FASTA (the service sends {@code text/x-fasta} for some jobs): the same rows either way.
     */
    public static WrittenFile write(Path serverAnswer, boolean fastaAnswer, String inputId, String inputSequence,
                                    Path target, OutputFormat format) {
        String query = ungapped(inputSequence);
        if (query.isEmpty()) {
            throw new IllegalArgumentException("input sequence of '" + inputId + "' is empty");
        }
        return writeChecked(target, inputSequence, format, out -> {
            if (fastaAnswer) {
                try (BufferedReader in = Files.newBufferedReader(serverAnswer, StandardCharsets.UTF_8)) {
                    copy(fastaRows(in), out, inputId, query, format);
                }
                return;
            }
            try (Reader in = Files.newBufferedReader(serverAnswer, StandardCharsets.UTF_8);
                 CSVParser csv = CSVParser.builder().setReader(in).setFormat(CSVFormat.DEFAULT).get()) {
                copy(csvRows(csv), out, inputId, query, format);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof org.apache.commons.csv.CSVException bad) {
                    throw new InvalidMsaException("the service's MSA is not valid CSV: " + oneLine(bad.getMessage()), bad);
                }
                throw e;
            }
        });
    }

    /**
     * Writes {@code target} as a copy of an alignment file this tool wrote earlier ({@code source}, same format),
     * with the query renamed to {@code inputId}; checked and moved into place like {@link #write}. Used to reuse an
     * earlier night's MSA of the same sequence.
     */
    public static WrittenFile copyAs(Path source, String inputId, String inputSequence, Path target, OutputFormat format) {
        return writeChecked(target, inputSequence, format, out -> {
            try (java.io.BufferedReader in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                String line = in.readLine();
                if (line == null || !line.startsWith(">")) {
                    throw new InvalidMsaException(source + " does not start with a '>' header");
                }
                out.write('>');
                out.write(inputId);
                out.write('\n');
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                }
            }
        });
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
    static java.io.OutputStream createExclusively(Path file) throws IOException {
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

    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is removed by cleanTemporaryFiles on the next run
        }
    }

    /** One row of the service's MSA: its name (statistics after tabs kept) and its A3M sequence. */
    private record Row(long number, String name, String sequence) {
    }

    private static java.util.Iterator<Row> csvRows(CSVParser csv) {
        java.util.Iterator<CSVRecord> records = csv.iterator();
        return new java.util.Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Row next() {
                CSVRecord record = records.next();
                n++;
                if (record.size() < 2) {
                    throw new InvalidMsaException("row " + n + " of the service's MSA has " + record.size()
                            + " field, expected 'name,sequence'");
                }
                // The sequence is the last field; a name with unquoted commas is put back together.
                return new Row(n, String.join(",", record.toList().subList(0, record.size() - 1)),
                        record.get(record.size() - 1).strip());
            }
        };
    }

    /** The records of a FASTA answer, one in memory at a time (sequence lines joined, blank lines skipped). */
    private static java.util.Iterator<Row> fastaRows(BufferedReader in) throws IOException {
        String first = in.readLine();
        while (first != null && first.isBlank()) {
            first = in.readLine();
        }
        if (first != null && !first.startsWith(">")) {
            throw new InvalidMsaException("the service's FASTA answer does not start with a '>' header");
        }
        String[] pending = {first};
        return new java.util.Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return pending[0] != null;
            }

            @Override
            public Row next() {
                String header = pending[0].substring(1);
                StringBuilder seq = new StringBuilder();
                try {
                    String line;
                    while ((line = in.readLine()) != null && !line.startsWith(">")) {
                        seq.append(line.strip());
                    }
                    pending[0] = line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new Row(++n, header, seq.toString());
            }
        };
    }

    private static void copy(java.util.Iterator<Row> rows, Writer out, String inputId, String query, OutputFormat format)
            throws IOException {
        long row = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            row = r.number();
            String name = r.name();
            String sequence = r.sequence();
            if (row == 1) {
                String seed = ungapped(sequence);
                if (!seed.equals(query)) {
                    throw new InvalidMsaException("the service's MSA does not start with the input sequence of '" + inputId
                            + "': its seed row ('" + shown(name) + "') " + difference(seed, query));
                }
                writeRecord(out, inputId, query);
            } else {
                checkRow(row, name, sequence, query.length(), OutputFormat.A3M);
                writeRecord(out, name.isBlank() ? "row" + row : name,
                        format == OutputFormat.A3M ? sequence : withoutInsertions(sequence));
            }
        }
        if (row == 0) {
            throw new InvalidMsaException("the service's MSA is empty (no rows)");
        }
    }

    private static void writeRecord(Writer out, String name, String sequence) throws IOException {
        out.write('>');
        out.write(name.replace('\r', ' ').replace('\n', ' '));
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
        int rows = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new DigestInputStream(Files.newInputStream(file), digest), StandardCharsets.UTF_8))) {
            String header = null;
            StringBuilder sequence = new StringBuilder();
            String line;
            long lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.startsWith(">")) {
                    if (header != null) {
                        checkRecord(file, ++rows, header, sequence, query, format);
                    }
                    header = line.substring(1);
                    sequence.setLength(0);
                } else if (!line.isBlank()) {
                    if (header == null) {
                        throw new InvalidMsaException(file + ": line " + lineNo + " comes before the first '>' header");
                    }
                    sequence.append(line.strip());
                }
            }
            if (header == null) {
                throw new InvalidMsaException(file + " holds no alignment rows");
            }
            checkRecord(file, ++rows, header, sequence, query, format);
        } catch (NoSuchFileException e) {
            throw new InvalidMsaException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Checked(HexFormat.of().formatHex(digest.digest()), rows);
    }

    private static void checkRecord(Path file, int row, String header, CharSequence sequence, String query, OutputFormat format) {
        String s = sequence.toString();
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
    private static void checkRow(long row, String name, String sequence, int columns, OutputFormat format) {
        int count = 0;
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            boolean column = (c >= 'A' && c <= 'Z') || c == '-';
            boolean insertion = (c >= 'a' && c <= 'z') || c == '.';
            if (column) {
                count++;
            } else if (!insertion || format == OutputFormat.FASTA) {
                throw new InvalidMsaException("row " + row + " ('" + shown(name) + "') has " + describe(c) + " at position "
                        + (i + 1) + ", which is not allowed in " + (format == OutputFormat.A3M ? "an A3M row" : "an aligned FASTA row"));
            }
        }
        if (count != columns) {
            throw new InvalidMsaException("row " + row + " ('" + shown(name) + "') has " + count
                    + " alignment columns (upper-case letters and '-'), expected " + columns + " (the query length)");
        }
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    /**
     * Upper-case, without whitespace, {@code -}, {@code .} and the chain separator {@code :}: how a seed is compared
     * with the input sequence (the MSA of a complex has its chains joined).
     */
    static String ungapped(String sequence) {
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

    private static String shown(String name) {
        String first = name.split("\t", 2)[0].strip();
        first = oneLine(first);
        return first.length() > MAX_SHOWN_NAME ? first.substring(0, MAX_SHOWN_NAME) + "..." : first;
    }

    private static String oneLine(String text) {
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
