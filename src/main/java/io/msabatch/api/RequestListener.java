package io.msabatch.api;

/**
 * Told about every HTTP exchange the client makes (for metrics and progress). {@code route} is the method and path
 * template (no ids, no secrets); {@code status} is 0 when no answer came. Called on the requesting thread; must be
 * fast and thread-safe.
 */
@FunctionalInterface
public interface RequestListener {

    void exchanged(String route, int status, long nanos);

    /** The client is about to try a failed call of {@code route} again (its retry classifier said so). */
    default void retrying(String route) {
    }

    /**
     * Whether an answer with this status shows a working service: any answer below 500 except 429 (a 404 or a 409 is
     * the service answering). No answer (0), 429 and 5xx (including a CDN's error page) do not.
     */
    static boolean usable(int status) {
        return status >= 200 && status < 500 && status != 429;
    }
}
