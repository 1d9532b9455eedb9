package io.msabatch.api;

/**
 * A fault that the same call will hit again: a 4xx other than 401-then-success, 409 and 429, e.g. bad input
 * (400/413/422), or an answer the client cannot read. Never retried.
 */
public class PermanentApiException extends OpenProteinException {

    public PermanentApiException(String message, int status, String route, String jobId, String detail,
                                 Throwable cause) {
        super(message, status, route, jobId, detail, cause);
    }

    /** The service refused what was sent as bad input (400, 413, 422): sending it again would fail the same way. */
    public boolean refusesInput() {
        return status() == 400 || status() == 413 || status() == 422;
    }
}
