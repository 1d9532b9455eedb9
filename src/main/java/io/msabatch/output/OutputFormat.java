package io.msabatch.output;

/** The alignment file format: A3M as the service returns it, or aligned FASTA (insertions removed). */
public enum OutputFormat {
    A3M("a3m"), FASTA("fasta");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension without the dot: {@code a3m} or {@code fasta}. */
    public String extension() {
        return extension;
    }
}
