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
        Path target = outputDir.resolve(FILE);
        Path temp = outputDir.resolve("." + FILE + ".partial");
        try {
            Files.createDirectories(outputDir);
            // created exclusively: never through a link planted at the temporary name
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                    MsaFiles.createExclusively(temp), StandardCharsets.UTF_8))) {
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
                try (CSVPrinter printer = new CSVPrinter(out, tsv)) {
                    IOException[] failure = new IOException[1];
                    records.forEach(r -> {
                        if (r.sequences() == null || failure[0] != null) {
                            return;
                        }
                        try {
                            printer.printRecord(r.id(), r.sequences(), decimals(r.neff(), 1), decimals(r.coverageMean(), 3),
                                    decimals(r.coverageMin(), 3), r.warning() == null ? "" : r.warning(),
                                    r.origin() == null ? "" : r.origin());
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                    });
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // removed with the other temporary files on the next run
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
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
