package io.msabatch.api;

/**
 * Told about every HTTP exchange the client makes (for metrics and progress). {@code route} is the method and path
 * template (no ids, no secrets); {@code status} is 0 when no answer came. Called on the requesting thread; must be
 * fast and thread-safe.
 */
@FunctionalInterface
public interface RequestListener {

    void exchanged(String route, int status, long nanos);
}
