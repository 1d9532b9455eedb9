package io.msabatch.api;

/** The service answered 404 for a job id: unknown, or owned by another user (the service does not tell). */
public class JobNotFoundException extends PermanentApiException {

    public JobNotFoundException(String message, String route, String jobId, String detail) {
        super(message, 404, route, jobId, detail, null);
    }
}
