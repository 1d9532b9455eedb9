package io.msabatch.emulator;

import java.util.List;
import java.util.Map;

/** An error answer of the API: a status and a {@code detail} (a string, or the 422 list form). */
final class ApiException extends RuntimeException {

    private final int status;
    private final transient Object detail;
    private final String jobStatus;

    ApiException(int status, Object detail) {
        this(status, detail, null);
    }

    ApiException(int status, Object detail, String jobStatus) {
        super(detail.toString(), null, false, false);
        this.status = status;
        this.detail = detail;
        this.jobStatus = jobStatus;
    }

    int status() {
        return status;
    }

    Object detail() {
        return detail;
    }

    String jobStatus() {
        return jobStatus;
    }

    static ApiException notAuthenticated() {
        return new ApiException(401, "Not authenticated");
    }

    static ApiException jobNotFound() {
        return new ApiException(404, "Job not found");
    }

    /** 422 in FastAPI's list form. */
    static ApiException invalid(String where, String name, String message, String type) {
        return new ApiException(422, List.of(Map.of("loc", List.of(where, name), "msg", message, "type", type)));
    }
}
