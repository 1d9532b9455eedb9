package io.msabatch.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code report.csv} (one row per input record) and {@code rejects.csv} (one row per rejected record) in the
 * output directory: RFC 4180 CSV (CRLF, quotes only where needed), UTF-8, header row always present, streamed row by
 * row (constant memory), written to temporary files created exclusively (never through a planted link) and renamed
 * into place atomically, so a reader never sees half a report. Nulls are empty fields. A text field that a
 * spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return) is written with a
 * leading {@code '} (OWASP's rule for CSV injection). Rows are written in the order given.
 */
public final class ReportFiles {

    public static final String REPORT_FILE = "report.csv";
    public static final String REJECTS_FILE = "rejects.csv";

    static final String[] REPORT_HEADER = {"line", "id", "status", "job_id", "file", "sequence_sha256", "attempts",
            "error", "origin", "n_seq", "neff", "coverage_mean", "coverage_min", "msa_warning", "warning"};
    static final String[] REJECTS_HEADER = {"line", "id", "reason"};

    /**
     * One input record's outcome: its line in the input file, id, status, the service's job id, the alignment file
     * (relative to the output directory), the SHA-256 of its normalised sequence, how many jobs were submitted for it,
     * why it has no file; then where its MSA came from (SUBMITTED, ADOPTED, REUSED) and the MSA's quality: rows (query
     * included), Neff at 80% identity, mean and minimum query coverage, its warning code ({@code query-only},
     * {@code shallow}); and a warning about the input record itself. Strings and numbers may be null.
     */
    public record ReportRow(String id, String status, String jobId, String file, String sequenceSha256, int attempts,
                            String error, long line, String origin, Integer sequences, Double neff, Double coverageMean,
                            Double coverageMin, String msaWarning, String warning) {

        /** A row without an input warning. */
        public ReportRow(String id, String status, String jobId, String file, String sequenceSha256, int attempts,
                         String error, long line, String origin, Integer sequences, Double neff, Double coverageMean,
                         Double coverageMin, String msaWarning) {
            this(id, status, jobId, file, sequenceSha256, attempts, error, line, origin, sequences, neff, coverageMean,
                    coverageMin, msaWarning, null);
        }

        /** A row without origin, quality and warning. */
        public ReportRow(String id, String status, String jobId, String file, String sequenceSha256, int attempts,
                         String error, long line) {
            this(id, status, jobId, file, sequenceSha256, attempts, error, line, null, null, null, null, null, null, null);
        }
    }

    /** A rejected input record: its line in the input file, its id and why it was rejected. */
    public record RejectRow(long line, String id, String reason) {
    }

    private ReportFiles() {
    }

    /** Writes {@code <outputDir>/report.csv} from {@code rows}. */
    public static void writeReport(Path outputDir, Iterable<ReportRow> rows) {
        try (Writer w = Writer.open(outputDir)) {
            rows.forEach(w::report);
            w.commitReportOnly();
        }
    }

    /** Writes {@code <outputDir>/rejects.csv}: {@code line,id,reason}; the header alone when there are no rejects. */
    public static void writeRejects(Path outputDir, Iterable<RejectRow> rows) {
        try (Writer w = Writer.open(outputDir)) {
            rows.forEach(w::reject);
            w.commitRejectsOnly();
        }
    }

    /**
     * Both reports, streamed: add rows, then {@link #commit()} (both files move into place); closing without commit
     * leaves the previous reports untouched and removes the temporary files. Not thread-safe.
     */
    public static final class Writer implements AutoCloseable {

        private final Path reportTarget;
        private final Path rejectsTarget;
        private final Path reportTemp;
        private final Path rejectsTemp;
        private final CSVPrinter report;
        private final CSVPrinter rejects;
        private boolean done;

        private Writer(Path dir) throws IOException {
            reportTarget = dir.resolve(REPORT_FILE);
            rejectsTarget = dir.resolve(REJECTS_FILE);
            reportTemp = MsaFiles.temporaryFileFor(reportTarget);
            rejectsTemp = MsaFiles.temporaryFileFor(rejectsTarget);
            report = printer(reportTemp, REPORT_HEADER);
            CSVPrinter r;
            try {
                r = printer(rejectsTemp, REJECTS_HEADER);
            } catch (IOException | RuntimeException e) {
                report.close();
                MsaFiles.deleteQuietly(reportTemp);
                throw e;
            }
            rejects = r;
        }

        public static Writer open(Path outputDir) {
            try {
                Files.createDirectories(outputDir.toAbsolutePath());
                return new Writer(outputDir.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the reports in " + outputDir + ": " + e.getMessage(), e);
            }
        }

        public void report(ReportRow r) {
            print(report, reportTarget, r.line(), safe(r.id()), r.status(), r.jobId(), safe(r.file()), r.sequenceSha256(),
                    r.attempts(), safe(oneLine(r.error())), r.origin(), r.sequences(), decimals(r.neff(), 1),
                    decimals(r.coverageMean(), 3), decimals(r.coverageMin(), 3), r.msaWarning(),
                    safe(oneLine(r.warning())));
        }

        public void reject(RejectRow r) {
            print(rejects, rejectsTarget, r.line(), safe(r.id()), safe(oneLine(r.reason())));
        }

        public void commit() {
            finish(true, true);
        }

        void commitReportOnly() {
            finish(true, false);
        }

        void commitRejectsOnly() {
            finish(false, true);
        }

        private void finish(boolean moveReport, boolean moveRejects) {
            try {
                report.close();
                rejects.close();
                if (moveReport) {
                    force(reportTemp);
                    MsaFiles.moveIntoPlace(reportTemp, reportTarget);
                }
                if (moveRejects) {
                    force(rejectsTemp);
                    MsaFiles.moveIntoPlace(rejectsTemp, rejectsTarget);
                }
                done = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + reportTarget + ": " + e.getMessage(), e);
            } finally {
                MsaFiles.deleteQuietly(reportTemp);
                MsaFiles.deleteQuietly(rejectsTemp);
            }
        }

        @Override
        public void close() {
            if (!done) {
                try {
                    report.close();
                    rejects.close();
                } catch (IOException ignored) {
                    // the temporary files are removed below
                }
                MsaFiles.deleteQuietly(reportTemp);
                MsaFiles.deleteQuietly(rejectsTemp);
            }
        }

        private static CSVPrinter printer(Path temp, String[] header) throws IOException {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(MsaFiles.createExclusively(temp),
                    StandardCharsets.UTF_8), 65536);
            return new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header).get());
        }

        private static void print(CSVPrinter printer, Path target, Object... values) {
            try {
                printer.printRecord(values);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }

        private static void force(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    /** {@code value} with {@code places} decimals (dot, no grouping), or null. */
    static String decimals(Double value, int places) {
        return value == null ? null
                : new java.math.BigDecimal(value).setScale(places, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * A text field as the reports write it: control characters shown as escapes ({@code \t}, {@code \r},
     * {@code \n}, {@code \}{@code u001b}), so every record stays one physical line and no terminal escape reaches a
     * screen that shows the file; then a field a spreadsheet would take for a formula gets a leading {@code '}.
     */
    static String safe(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        text = escapeControls(text);
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    static String escapeControls(String text) {
        if (text.codePoints().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (Character.isISOControl(cp)) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }

    /** Errors are kept on one line so that the report stays one physical line per record. */
    private static String oneLine(String text) {
        return text == null ? null : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
