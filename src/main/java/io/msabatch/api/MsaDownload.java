package io.msabatch.api;

import java.nio.file.Path;

/**
 * An MSA saved to a file as the service sent it, and how to read it: the format follows the answer's
 * {@code Content-Type} ({@code text/x-fasta} is FASTA, anything else the headerless {@code name,sequence} CSV).
 */
public record MsaDownload(Path file, Format format, long bytes) {

    public enum Format { CSV, FASTA }
}
