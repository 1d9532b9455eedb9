package io.msabatch.emulator;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Takes the seed out of an uploaded {@code msa_file}: the first sequence of a FASTA, of a headerless CSV
 * ({@code name,sequence}) or a bare sequence. Letters are upper-cased; whitespace is dropped; chains may be
 * joined with {@code :}. Anything else is a 400 {@link ApiException}. {@link #msa} reads a ready-made MSA instead
 * (an upload with {@code is_seed=false}).
 */
final class SeedParser {

    private SeedParser() {
    }

    static String seed(String content, int maxLength) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        text = text.strip();
        if (text.isEmpty()) {
            throw new ApiException(400, "Empty sequence: msa_file holds no sequence");
        }
        String raw;
        if (text.startsWith(">")) {
            raw = firstFastaRecord(text);
        } else if (firstLine(text).contains(",")) {
            raw = firstCsvRecord(text);
        } else {
            raw = text;
        }
        StringBuilder seed = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            char u = Character.toUpperCase(c);
            if (u == ':' || (u < 128 && Residues.ALLOWED.indexOf(u) >= 0)) {
                seed.append(u);
            } else {
                throw new ApiException(400, "Invalid sequence: '" + printable(c) + "' at position " + (seed.length()
                        + 1) + " is not an amino acid (allowed: " + Residues.ALLOWED + ", chains joined with ':')");
            }
        }
        String s = seed.toString();
        if (s.replace(":", "").isEmpty()) {
            throw new ApiException(400, "Empty sequence: msa_file holds no sequence");
        }
        if (s.startsWith(":") || s.endsWith(":") || s.contains("::")) {
            throw new ApiException(400, "Invalid sequence: an empty chain between ':' separators");
        }
        int residues = s.replace(":", "").length();
        if (residues > maxLength) {
            throw new ApiException(400, "Sequence too long: " + residues + " residues, the maximum is " + maxLength);
        }
        return s;
    }

    /** An uploaded MSA: its rows as uploaded, and its seed (the first row without gaps, upper-cased). */
    record UploadedMsa(List<MsaRow> rows, String seed) {
    }

    /**
     * Reads a ready-made MSA: FASTA records or headerless CSV rows (a bare sequence is one row named {@code 101}).
     * Rows are letters (upper-case columns, lower-case insertions), {@code -} and {@code .}; the first row, less its
     * gaps, must be a valid seed. Anything else is a 400.
     */
    static UploadedMsa msa(String content, int maxLength) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        text = text.strip();
        if (text.isEmpty()) {
            throw new ApiException(400, "Empty MSA: msa_file holds no sequence");
        }
        List<MsaRow> rows = new ArrayList<>();
        if (text.startsWith(">")) {
            String name = null;
            StringBuilder seq = new StringBuilder();
            for (String line : text.split("\\r?\\n|\\r")) {
                if (line.startsWith(">")) {
                    if (name != null) {
                        rows.add(new MsaRow(name, seq.toString()));
                    }
                    name = line.substring(1).strip();
                    seq.setLength(0);
                } else {
                    seq.append(line.strip());
                }
            }
            rows.add(new MsaRow(name, seq.toString()));
        } else if (firstLine(text).contains(",")) {
            try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text))
                    .setFormat(CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get()).get()) {
                for (CSVRecord r : parser) {
                    if (r.size() < 2) {
                        throw new ApiException(400, "Invalid CSV: expected name,sequence");
                    }
                    rows.add(new MsaRow(r.get(0), r.get(1)));
                }
            } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
                throw new ApiException(400, "Invalid CSV: expected name,sequence");
            }
        } else {
            rows.add(new MsaRow("101", text.replaceAll("\\s+", "")));
        }
        for (int r = 0; r < rows.size(); r++) {
            String s = rows.get(r).sequence();
            if (s.isEmpty()) {
                throw new ApiException(400, "Invalid MSA: row " + (r + 1) + " has no sequence");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c < 128 && (Character.isLetter(c) || c == '-' || c == '.'))) {
                    throw new ApiException(400, "Invalid MSA: '" + printable(c) + "' in row " + (r + 1)
                            + " is neither a residue nor a gap");
                }
            }
        }
        String seed = seed(rows.get(0).sequence().replace("-", "").replace(".", ""), maxLength);
        return new UploadedMsa(List.copyOf(rows), seed);
    }

    private static String printable(char c) {
        return c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String firstFastaRecord(String text) {
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\\r?\\n|\\r");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith(">")) {
                break;
            }
            sb.append(lines[i]);
        }
        return sb.toString();
    }

    private static String firstCsvRecord(String text) {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text))
                .setFormat(CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get()).get()) {
            Iterator<CSVRecord> it = parser.iterator();
            while (it.hasNext()) {
                CSVRecord r = it.next();
                if (r.size() < 2) {
                    throw new ApiException(400, "Invalid CSV: expected name,sequence");
                }
                if (r.getRecordNumber() == 1 && r.get(0).equalsIgnoreCase("name")
                        && r.get(1).equalsIgnoreCase("sequence")) {
                    continue; // a header row after all
                }
                return r.get(1);
            }
            throw new ApiException(400, "Empty sequence: msa_file holds no sequence");
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new ApiException(400, "Invalid CSV: expected name,sequence");
        }
    }
}
