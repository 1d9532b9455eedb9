package io.msabatch.api;

/**
 * A fault that may go away if the same call is made later: 5xx, 429 and transport errors, raised once the
 * client's own retries are used up. Safe to retry as a whole later (the client never raises it for a job-creating
 * POST that may have arrived; that is {@link UncertainSubmissionException}). {@link #attempts()} and
 * {@link #elapsed()} say how hard the client tried.
 */
public class TransientApiException extends OpenProteinException {

    private volatile int attempts;
    private volatile java.time.Duration elapsed;

    public TransientApiException(String message, int status, String route, String jobId, String detail,
                                 Throwable cause) {
        super(message, status, route, jobId, detail, cause);
    }

    /** Tries made for the call (0 when unknown). */
    public int attempts() {
        return attempts;
    }

    /** Time from the first try to giving up (null when unknown). */
    public java.time.Duration elapsed() {
        return elapsed;
    }

    /** Whether the service certainly did not act on the request (429, or no connection was made). */
    public boolean certainlyNotReceived() {
        return status() == 429 || status() == 0 && RetryClassifier.certainlyNotSent(getCause());
    }

    TransientApiException exhausted(int tries, java.time.Duration took) {
        this.attempts = tries;
        this.elapsed = took;
        return this;
    }
}
