package io.msabatch.report.html;

import io.msabatch.output.MsaFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code msa-batch_mqc.tsv}: MultiQC custom content (a table section, its settings in {@code #} header lines),
 * one row per record that has an MSA, so a MultiQC report over a run's folder shows each MSA's depth, Neff, coverage
 * and warning beside the other tools' results. Same record source as report.html; written atomically.
 */
public final class MultiQcTable {

    public static final String FILE = "msa-batch_mqc.tsv";

    static final String[] HEADER = {"Sample", "n_seq", "neff", "coverage_mean", "coverage_min", "msa_warning", "origin"};

    private MultiQcTable() {
    }

    /** Writes {@code <outputDir>/msa-batch_mqc.tsv}; records without an MSA ({@code sequences} null) are left out. */
    public static Path write(Path outputDir, String pipeline, ReportRecords records) {
        try (Table table = open(outputDir, pipeline)) {
            records.forEach(table::add);
            return table.commit();
        }
    }

    /** Starts {@code <outputDir>/msa-batch_mqc.tsv} (in a temporary file) for records to be added one at a time. */
    public static Table open(Path outputDir, String pipeline) {
        Path target = outputDir.resolve(FILE);
        Path temp = outputDir.resolve("." + FILE + ".partial");
        BufferedWriter out = null;
        try {
            Files.createDirectories(outputDir);
            // created exclusively: never through a link planted at the temporary name
            out = new BufferedWriter(new OutputStreamWriter(MsaFiles.createExclusively(temp), StandardCharsets.UTF_8));
            out.write("# id: 'msa-batch'\n");
            out.write("# section_name: 'MSA depth (msa-batch)'\n");
            out.write("# description: 'MSAs from OpenProtein.AI of pipeline " + yaml(pipeline) + ": sequences (query"
                    + " included), Neff at 80% identity, mean and minimum query coverage, warnings.'\n");
            out.write("# plot_type: 'table'\n");
            out.write("# pconfig:\n#     id: 'msa-batch-table'\n#     namespace: 'msa-batch'\n");
            out.write("# headers:\n");
            out.write("#     neff:\n#         title: 'Neff'\n#         format: '{:,.1f}'\n");
            out.write("#     coverage_mean:\n#         title: 'Coverage (mean)'\n#         min: 0\n#         max: 1\n");
            out.write("#     coverage_min:\n#         title: 'Coverage (min)'\n#         min: 0\n#         max: 1\n");
            CSVFormat tsv = CSVFormat.TDF.builder().setRecordSeparator('\n').setHeader(HEADER).get();
            return new Table(target, temp, new CSVPrinter(out, tsv));
        } catch (IOException e) {
            closeQuietly(out);
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A msa-batch_mqc.tsv being written: {@link #add} the records, then {@link #commit} renames it into place; closed
     * without a commit, it is deleted. A write error is kept and thrown by {@code commit}. Not thread-safe.
     */
    public static final class Table implements AutoCloseable {

        private final Path target;
        private final Path temp;
        private final CSVPrinter printer;
        private IOException failure;
        private boolean done;

        private Table(Path target, Path temp, CSVPrinter printer) {
            this.target = target;
            this.temp = temp;
            this.printer = printer;
        }

        /** The next record; one without an MSA is left out. */
        public void add(ReportRecord r) {
            if (r.sequences() == null || failure != null) {
                return;
            }
            try {
                printer.printRecord(r.id(), r.sequences(), decimals(r.neff(), 1), decimals(r.coverageMean(), 3),
                        decimals(r.coverageMin(), 3), r.warning() == null ? "" : r.warning(),
                        r.origin() == null ? "" : r.origin());
            } catch (IOException e) {
                failure = e;
            }
        }

        /** Renames the table into place. */
        public Path commit() {
            try {
                if (failure != null) {
                    throw failure;
                }
                printer.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                done = true;
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            } finally {
                close();
            }
        }

        /** Drops the table unless it was committed. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                try {
                    printer.close();
                } catch (IOException ignored) {
                    // the temporary file is deleted next
                }
                deleteQuietly(temp);
            }
        }
    }

    private static void closeQuietly(java.io.Writer out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the temporary file is deleted next
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // removed with the other temporary files on the next run
        }
    }

    private static String decimals(Double v, int places) {
        return v == null ? "" : String.format(Locale.ROOT, "%." + places + "f", v);
    }

    /** Inside single quotes YAML doubles a quote; line breaks would end the comment line. */
    private static String yaml(String s) {
        return s == null ? "" : s.replace("'", "''").replaceAll("[\\r\\n]+", " ");
    }
}
