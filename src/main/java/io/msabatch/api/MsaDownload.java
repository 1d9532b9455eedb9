package io.msabatch.api;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An MSA as the service sent it, and how to read it: the format follows the answer's {@code Content-Type}
 * ({@code text/x-fasta} is FASTA, anything else the headerless {@code name,sequence} CSV). A small answer is held in
 * memory ({@code file} is null); a large one was saved to {@code file} ({@code body} is null).
 */
public final class MsaDownload {

    public enum Format { CSV, FASTA }

    private final Path file;
    private final byte[] body;
    private final Format format;
    private final long bytes;

    private MsaDownload(Path file, byte[] body, Format format, long bytes) {
        this.file = file;
        this.body = body;
        this.format = format;
        this.bytes = bytes;
    }

    /** An answer held in memory (the array is kept, not copied). */
    static MsaDownload inMemory(byte[] body, Format format) {
        return new MsaDownload(null, body, format, body.length);
    }

    /** An answer saved to {@code file}. */
    static MsaDownload saved(Path file, Format format, long bytes) {
        return new MsaDownload(file, null, format, bytes);
    }

    /** The file the answer was saved to, or null when it is held in memory. */
    public Path file() {
        return file;
    }

    public Format format() {
        return format;
    }

    /** The answer's size in bytes. */
    public long bytes() {
        return bytes;
    }

    /** A new reader of the answer from its start (UTF-8); each call reads it again. */
    public BufferedReader open() throws IOException {
        return body != null
                ? new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
}
