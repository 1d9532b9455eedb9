package io.msabatch.api;

import java.time.Instant;

/**
 * A job-creating POST may have reached the server but no usable answer came back (read timeout, reset after
 * sending, 500/502/504). The caller must reconcile (list jobs created since {@link #attemptedAt()} and compare
 * their RAW seeds) before submitting again. {@code status} is 0 when there was no answer at all.
 */
public class UncertainSubmissionException extends OpenProteinException {

    private final Instant attemptedAt;

    public UncertainSubmissionException(String message, String route, Instant attemptedAt, Throwable cause) {
        this(message, 0, route, null, attemptedAt, cause);
    }

    public UncertainSubmissionException(String message, int status, String route, String detail, Instant attemptedAt,
                                        Throwable cause) {
        super(message, status, route, null, detail, cause);
        this.attemptedAt = attemptedAt;
    }

    /** When the POST that may have arrived began (the client's clock); never null. */
    public Instant attemptedAt() {
        return attemptedAt;
    }
}
