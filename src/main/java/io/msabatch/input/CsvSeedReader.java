package io.msabatch.input;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a CSV with a header row ({@code id} and {@code sequence} required, matched trimmed and case-insensitively;
 * other columns become extras in file order, values past the header named {@code column<N>}). A UTF-8 BOM is ignored.
 * Empty lines, and rows whose every field is blank, are not records. Broken quoting throws {@link InputFileException}
 * naming the line.
 */
final class CsvSeedReader extends SeedFileReader {

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL) // header() says which
            .setHeader()
            .setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .get();

    /** The header row: its names as written and where id and sequence are. */
    record Header(List<String> names, int idIndex, int sequenceIndex) {
    }

    private CSVParser parser;
    private BoundedRecordReader bounded;
    private Iterator<CSVRecord> records;
    private Header header;
    private long recordNo;

    CsvSeedReader(Path file) {
        super(file);
    }

    @Override
    public InputFormat format() {
        return InputFormat.CSV;
    }

    @Override
    protected void doOpen() {
        InputFiles.requireReadable(file());
        try {
            bounded = new BoundedRecordReader(InputFiles.openText(file()));
        } catch (IOException e) {
            throw InputFiles.unreadable(file(), e);
        }
        parser = openParser(file(), bounded);
        try {
            header = header(file(), parser);
        } catch (RuntimeException e) {
            closeQuietly(parser);
            parser = null;
            throw e;
        }
        records = parser.iterator();
        recordNo = 0;
    }

    @Override
    protected SeedRecord doRead() {
        try {
            while (records.hasNext()) {
                CSVRecord row = records.next();
                // Commons CSV counts line breaks consumed so far: the row's last line. Quoted fields may span lines.
                long endLine = parser.getCurrentLineNumber();
                if (allBlank(row)) {
                    continue;
                }
                long breaks = 0;
                for (String value : row) {
                    breaks += lineBreaks(value);
                }
                long start = endLine - breaks;
                if (bounded.overlong(start)) {
                    return new SeedRecord(++recordNo, start, idOf(row), "", Map.of(),
                            "the record at line " + start + " is over " + BoundedRecordReader.MAX_RECORD_CHARS
                                    + " characters; no protein is that long");
                }
                return toRecord(row, start);
            }
            return null;
        } catch (UncheckedIOException e) {
            IOException io = e.getCause();
            if (io != null && !(io instanceof org.apache.commons.csv.CSVException)) {
                throw InputFiles.unreadableAfter(file(), parser.getCurrentLineNumber(), io);
            }
            throw broken(file(), e);
        } catch (IllegalStateException e) {
            throw broken(file(), e);
        }
    }

    @Override
    protected void doClose() {
        closeQuietly(parser);
        parser = null;
        records = null;
    }

    private SeedRecord toRecord(CSVRecord row, long line) {
        Map<String, String> extras = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            if (i == header.idIndex() || i == header.sequenceIndex()) {
                continue;
            }
            String name = i < header.names().size() ? header.names().get(i).strip() : "";
            if (name.isEmpty() || extras.containsKey(name)) {
                name = "column" + (i + 1);
            }
            extras.put(name, row.get(i));
        }
        return new SeedRecord(++recordNo, line, idOf(row),
                value(row, header.sequenceIndex()), extras);
    }

    /**
     * The row's id without surrounding spaces. Only spaces: a tab, CR or other control character stays, so the
     * validator rejects the record with its reason instead of the id changing silently.
     */
    private String idOf(CSVRecord row) {
        String id = value(row, header.idIndex());
        int from = 0;
        int to = id.length();
        while (from < to && id.charAt(from) == ' ') {
            from++;
        }
        while (to > from && id.charAt(to - 1) == ' ') {
            to--;
        }
        return id.substring(from, to);
    }

    private static String value(CSVRecord row, int index) {
        return index < row.size() ? row.get(index) : "";
    }

    static CSVParser openParser(Path file) {
        try {
            return openParser(file, new BoundedRecordReader(InputFiles.openText(file)));
        } catch (IOException e) {
            throw InputFiles.unreadable(file, e);
        }
    }

    static CSVParser openParser(Path file, Reader reader) {
        try {
            return CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        } catch (IOException e) {
            closeQuietly(reader);
            throw InputFiles.unreadable(file, e);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            closeQuietly(reader);
            throw broken(file, e);
        }
    }

    /** Finds the id and sequence columns or throws {@link InputFileException} listing the columns found. */
    static Header header(Path file, CSVParser parser) {
        List<String> names = new ArrayList<>(parser.getHeaderNames());
        int id = indexOf(names, "id");
        int sequence = indexOf(names, "sequence");
        if (id < 0 || sequence < 0) {
            String missing = id < 0 && sequence < 0 ? "no 'id' and no 'sequence' column" : id < 0 ? "no 'id' column" : "no 'sequence' column";
            String found = names.isEmpty() ? "nothing" : String.join(", ", names.stream().map(String::strip).toList());
            throw new InputFileException(file, "input file " + file + " has " + missing + " (found: " + InputFiles.oneLine(found)
                    + "); add a header row with 'id' and 'sequence' columns");
        }
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i) == null ? "" : names.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            Integer before = n.isEmpty() ? null : seen.putIfAbsent(n, i);
            if (before != null) {
                throw new InputFileException(file, "input file " + file + " has two '" + names.get(i).strip()
                        + "' columns (columns " + (before + 1) + " and " + (i + 1) + "); keep one, so that it is clear"
                        + " which one to read");
            }
        }
        return new Header(names, id, sequence);
    }

    private static int indexOf(List<String> names, String wanted) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null && names.get(i).strip().equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        return -1;
    }

    static boolean allBlank(CSVRecord row) {
        for (String value : row) {
            if (value != null && !value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Line breaks inside a value, counted as Commons CSV counts lines: CRLF once, lone CR or LF once. */
    static int lineBreaks(String value) {
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' && i > 0 && value.charAt(i - 1) == '\r') {
                continue;
            }
            if (c == '\n' || c == '\r') {
                n++;
            }
        }
        return n;
    }

    static InputFileException broken(Path file, RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof IOException io && !(cause instanceof org.apache.commons.csv.CSVException)) {
            return InputFiles.unreadable(file, io);
        }
        return new InputFileException(file, "input file " + file + " is not valid CSV: " + InputFiles.oneLine(cause.getMessage())
                + "; check the quotes near that line", e);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing useful to do: the file was only read
            }
        }
    }
}
