package io.msabatch.output;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The alignment file format: A3M as the service returns it, aligned FASTA (insertions removed), or Stockholm 1.0
 * (insertions kept as insert columns, marked by a {@code #=GC RF} line). In every format a row's query columns are its
 * upper-case letters and {@code -}; lower-case letters and {@code .} are insertions.
 */
public enum OutputFormat {
    A3M("a3m"), FASTA("fasta"), STOCKHOLM("sto", "stockholm");

    private final String extension;
    private final String[] aliases;

    OutputFormat(String extension, String... aliases) {
        this.extension = extension;
        this.aliases = aliases;
    }

    /** The file extension without the dot: {@code a3m}, {@code fasta} or {@code sto}; also the setting's value. */
    public String extension() {
        return extension;
    }

    /**
     * The format named {@code text}: its extension or an alias ({@code stockholm}), case and surrounding spaces ignored.
     * Throws {@link IllegalArgumentException} naming every allowed value for anything else, null included.
     */
    public static OutputFormat parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (f.extension.equals(wanted) || f.name().toLowerCase(Locale.ROOT).equals(wanted)
                    || Arrays.asList(f.aliases).contains(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + (text == null ? "" : text.strip())
                + "'; use one of " + allowed());
    }

    /** The allowed values as a reader would type them: {@code a3m, fasta, sto (or stockholm)}. */
    static String allowed() {
        return Arrays.stream(values())
                .map(f -> f.extension + (f.aliases.length == 0 ? "" : " (or " + String.join(", ", f.aliases) + ")"))
                .collect(Collectors.joining(", "));
    }
}
