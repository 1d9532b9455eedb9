package io.msabatch.report.html;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
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
        PartialFile file = PartialFile.create(outputDir, FILE);
        try {
            Writer out = file.writer();
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
            return new Table(file, new CSVPrinter(out, tsv));
        } catch (IOException e) {
            file.close();
            throw file.failure(e);
        }
    }

    /**
     * A msa-batch_mqc.tsv being written: {@link #add} the records, then {@link #commit} renames it into place; closed
     * without a commit, it is deleted. A write error is kept and thrown by {@code commit}. Not thread-safe.
     */
    public static final class Table implements AutoCloseable {

        private final PartialFile file;
        private final CSVPrinter printer;
        private IOException failure;

        private Table(PartialFile file, CSVPrinter printer) {
            this.file = file;
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
                printer.flush();
                return file.commit();
            } catch (IOException e) {
                throw file.failure(e);
            } finally {
                close();
            }
        }

        /** Drops the table unless it was committed. */
        @Override
        public void close() {
            file.close();
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
