package io.msabatch.run;

/** A problem that ends the run with one line on stderr and exit code 1 (no stack trace). */
public class FatalException extends RuntimeException {
    public FatalException(String message) {
        super(message);
    }

    public FatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
