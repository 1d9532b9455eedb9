package io.msabatch.api;

/**
 * Root of every error the OpenProtein client raises. Carries the HTTP status (0 when there was no answer), the
 * route (method and path template), the job id when there is one, and the body's {@code detail}. Never carries
 * credentials or tokens.
 */
public class OpenProteinException extends RuntimeException {

    private final int status;
    private final String route;
    private final String jobId;
    private final String detail;

    public OpenProteinException(String message, int status, String route, String jobId, String detail, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.route = route;
        this.jobId = jobId;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String route() {
        return route;
    }

    public String jobId() {
        return jobId;
    }

    public String detail() {
        return detail;
    }
}
