package io.msabatch.api;

import java.time.Duration;

/**
 * What ends the client's retries early: once a stop is requested, a call whose attempt fails is not tried again (it
 * ends with the failure as if its attempts were used up) and a wait before a retry ends at once. Only failures the
 * client would retry are affected, and those are certain not to have created a job (a refused connection, 429) or are
 * harmless to repeat (a GET), so the next run simply makes the call again. See
 * {@link OpenProteinClient#stopRetryingOn(RetryStop)}.
 */
public interface RetryStop {

    /** Whether a stop was requested. */
    boolean isRequested();

    /** Waits up to {@code d}; returns early (true) when a stop is requested. */
    boolean sleep(Duration d);
}
