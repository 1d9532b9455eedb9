package io.msabatch.api;

/**
 * A fault that the same call will hit again: a 4xx other than 401-then-success, 409 and 429, e.g. bad input
 * (400/422), bad credentials, a refused plain-http URL, or an answer the client cannot read. Never retried.
 */
public class PermanentApiException extends OpenProteinException {

    public PermanentApiException(String message, int status, String route, String jobId, String detail,
                                 Throwable cause) {
        super(message, status, route, jobId, detail, cause);
    }
}
