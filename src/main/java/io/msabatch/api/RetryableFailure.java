package io.msabatch.api;

import java.time.Duration;

/**
 * Internal signal between one attempt and the retry template: "this attempt failed, another may work". It wraps
 * the public exception to raise when the attempts are used up, and the server's Retry-After if any. Never leaves
 * the client.
 */
final class RetryableFailure extends RuntimeException {

    private final transient OpenProteinException exhausted;
    private final transient Duration retryAfter;

    RetryableFailure(OpenProteinException exhausted, Duration retryAfter) {
        super(exhausted.getMessage(), exhausted, false, false);
        this.exhausted = exhausted;
        this.retryAfter = retryAfter;
    }

    OpenProteinException exhausted() {
        return exhausted;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
