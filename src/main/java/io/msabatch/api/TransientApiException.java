package io.msabatch.api;

/**
 * A fault that may go away if the same call is made later: 5xx, 429 and transport errors, raised once the
 * client's own retries are used up. Safe to retry as a whole (the client never raises it for a job-creating
 * POST that may have arrived; that is {@link UncertainSubmissionException}).
 */
public class TransientApiException extends OpenProteinException {

    public TransientApiException(String message, int status, String route, String jobId, String detail,
                                 Throwable cause) {
        super(message, status, route, jobId, detail, cause);
    }
}
