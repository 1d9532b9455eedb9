package io.msabatch.input;

import java.nio.file.Path;
import java.util.Locale;

/** The format of a seeds file. {@link #AUTO} picks by file extension, then by the first non-blank line. */
public enum InputFormat {
    FASTA, CSV, AUTO;

    /**
     * The format to read {@code file} with: FASTA for {@code .fa .fasta .faa .fas .fna} (also with {@code .gz}), CSV for
     * {@code .csv} (also {@code .csv.gz}), {@code configured} if it is not AUTO; otherwise the first non-blank line
     * decides ({@code >} FASTA, a comma CSV). Throws {@link InputFileException} when none of that works.
     */
    public static InputFormat resolve(Path file, InputFormat configured) {
        if (configured != null && configured != AUTO) {
            return configured;
        }
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        switch (ext) {
            case "fa", "fasta", "faa", "fas", "fna":
                return FASTA;
            case "csv":
                return CSV;
            default:
                break;
        }
        InputFiles.requireReadable(file);
        String first = InputFiles.firstNonBlankLine(file);
        if (first == null) {
            throw InputFiles.empty(file);
        }
        if (first.stripLeading().startsWith(">")) {
            return FASTA;
        }
        if (first.contains(",")) {
            return CSV;
        }
        throw new InputFileException(file, "input file " + file + " is neither FASTA (first line starts with '>') nor CSV"
                + " (a header row with 'id' and 'sequence' columns); fix the file or set pipeline.format (fasta or csv)");
    }
}
