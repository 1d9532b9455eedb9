package io.msabatch.api;

import java.time.Instant;

/**
 * A job-creating POST may have reached the server but no answer came back (read timeout, reset after sending).
 * The caller must reconcile (list jobs created since {@link #attemptedAt()}) before submitting again.
 */
public class UncertainSubmissionException extends OpenProteinException {

    private final Instant attemptedAt;

    public UncertainSubmissionException(String message, String route, Instant attemptedAt, Throwable cause) {
        super(message, 0, route, null, null, cause);
        this.attemptedAt = attemptedAt;
    }

    public Instant attemptedAt() {
        return attemptedAt;
    }
}
