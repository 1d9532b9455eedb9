package io.msabatch.output;

import java.io.BufferedWriter;
import java.io.IOException;
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
 * output directory: RFC 4180 CSV (CRLF, quotes only where needed), UTF-8, header row always present, written to a
 * temporary file and renamed into place atomically so a reader never sees half a report. Nulls are written as empty
 * fields. Rows are written in the order given.
 */
public final class ReportFiles {

    public static final String REPORT_FILE = "report.csv";
    public static final String REJECTS_FILE = "rejects.csv";

    static final String[] REPORT_HEADER = {"line", "id", "status", "job_id", "file", "sequence_sha256", "attempts", "error",
            "origin", "n_seq", "neff", "coverage_mean", "coverage_min", "msa_warning"};
    static final String[] REJECTS_HEADER = {"line", "id", "reason"};

    /**
     * One input record's outcome: its line in the input file, id, status (e.g. DONE, FAILED, REJECTED), the service's
     * job id, the alignment file (relative to the output directory), the SHA-256 of its normalised sequence, how many
     * jobs were submitted for it, the last error; then where its MSA came from ({@code submitted}, {@code adopted},
     * {@code reused}) and the MSA's quality: rows (query included), Neff at 80% identity, mean and minimum query
     * coverage, and its warning code ({@code query-only}, {@code shallow}). Strings and numbers may be null.
     */
    public record ReportRow(String id, String status, String jobId, String file, String sequenceSha256, int attempts,
                            String error, long line, String origin, Integer sequences, Double neff, Double coverageMean,
                            Double coverageMin, String msaWarning) {

        /** A row without origin and quality. */
        public ReportRow(String id, String status, String jobId, String file, String sequenceSha256, int attempts,
                         String error, long line) {
            this(id, status, jobId, file, sequenceSha256, attempts, error, line, null, null, null, null, null, null);
        }
    }

    /** A rejected input record: its line in the input file, its id and why it was rejected. */
    public record RejectRow(long line, String id, String reason) {
    }

    private ReportFiles() {
    }

    /**
     * Writes {@code <outputDir>/report.csv}: {@code line,id,status,job_id,file,sequence_sha256,attempts,error,origin,
     * n_seq,neff,coverage_mean,coverage_min,msa_warning}; Neff with one decimal, coverages with three.
     */
    public static void writeReport(Path outputDir, Iterable<ReportRow> rows) {
        write(outputDir.resolve(REPORT_FILE), REPORT_HEADER, printer -> {
            for (ReportRow r : rows) {
                printer.printRecord(r.line(), r.id(), r.status(), r.jobId(), r.file(), r.sequenceSha256(), r.attempts(),
                        oneLine(r.error()), r.origin(), r.sequences(), decimals(r.neff(), 1), decimals(r.coverageMean(), 3),
                        decimals(r.coverageMin(), 3), r.msaWarning());
            }
        });
    }

    /** {@code value} with {@code places} decimals (dot, no grouping), or null. */
    static String decimals(Double value, int places) {
        return value == null ? null : new java.math.BigDecimal(value).setScale(places, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** Writes {@code <outputDir>/rejects.csv}: {@code line,id,reason}; the header alone when there are no rejects. */
    public static void writeRejects(Path outputDir, Iterable<RejectRow> rows) {
        write(outputDir.resolve(REJECTS_FILE), REJECTS_HEADER, printer -> {
            for (RejectRow r : rows) {
                printer.printRecord(r.line(), r.id(), oneLine(r.reason()));
            }
        });
    }

    private interface Body {
        void print(CSVPrinter printer) throws IOException;
    }

    private static void write(Path target, String[] header, Body body) {
        Path temp = MsaFiles.temporaryFileFor(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            CSVFormat format = CSVFormat.RFC4180.builder().setHeader(header).get();
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                 CSVPrinter printer = new CSVPrinter(out, format)) {
                body.print(printer);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            MsaFiles.moveIntoPlace(temp, target);
        } catch (IOException e) {
            MsaFiles.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            MsaFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /** Errors are kept on one line so that the report stays one physical line per record. */
    private static String oneLine(String text) {
        return text == null ? null : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
