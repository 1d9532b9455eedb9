package io.msabatch.input;

/**
 * An input file that cannot be read at all: missing, unreadable, empty, neither FASTA nor CSV, a CSV without
 * {@code id}/{@code sequence} columns, or broken CSV quoting. The message is one line that names the file and the fix;
 * bad single records are not this exception (they become rejects). The command line shows the message alone,
 * exit code 1.
 */
public class InputFileException extends RuntimeException {

    private final transient java.nio.file.Path file;

    public InputFileException(java.nio.file.Path file, String message) {
        super(message);
        this.file = file;
    }

    public InputFileException(java.nio.file.Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The input file the problem is about. */
    public java.nio.file.Path file() {
        return file;
    }
}
