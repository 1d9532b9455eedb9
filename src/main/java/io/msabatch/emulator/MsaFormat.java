package io.msabatch.emulator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Writes MSA rows as the contract's headerless CSV ({@code name,sequence}, LF line ends) or as FASTA. */
final class MsaFormat {

    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private MsaFormat() {
    }

    static String csv(List<MsaRow> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
            for (MsaRow row : rows) {
                printer.printRecord(row.name(), row.sequence());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<MsaRow> parseCsv(String csv) {
        List<MsaRow> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(csv)).setFormat(CSV).get()) {
            for (CSVRecord r : parser) {
                rows.add(new MsaRow(r.get(0), r.get(1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Whether a job's MSA is served as FASTA: true for about {@code share} of all jobs, always the same answer for
     * one job id (a mix of its hash placed in [0, 1)), so repeated downloads agree.
     */
    static boolean isFasta(String jobId, double share) {
        long h = jobId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h >>> 11) * 0x1.0p-53 < share;
    }

    static String fasta(List<MsaRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (MsaRow row : rows) {
            sb.append('>').append(row.name()).append('\n').append(row.sequence()).append('\n');
        }
        return sb.toString();
    }
}
