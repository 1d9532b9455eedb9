package io.msabatch.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stop request of one execution (SIGTERM, Ctrl-C, or a step that cannot go on). Readers check it between items
 * and end their step as STOPPED; waits use {@link #sleep(Duration)} so that a request interrupts them at once. The
 * first reason given is kept. Thread-safe.
 */
public final class StopSignal implements io.msabatch.api.RetryStop {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String reason;
    private volatile boolean fatal;

    /** Asks the execution to stop; {@code why} (kept if first) is shown to the user when it ends. */
    public synchronized void request(String why) {
        if (reason == null) {
            reason = why;
        }
        requested.countDown();
    }

    /** Asks the execution to stop because it cannot go on (a full disk): the run ends as failed, exit code 1. */
    public synchronized void requestFatal(String why) {
        if (reason == null) {
            fatal = true;
        }
        request(why);
    }

    /** Whether the first stop request was fatal. */
    public boolean fatal() {
        return fatal;
    }

    @Override
    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Why the stop was asked for, or null. */
    public String reason() {
        return reason;
    }

    /**
     * When a stop was requested, marks the current step "terminate only" (it ends STOPPED after its current chunk,
     * and the next run resumes it) and returns true. Call from a step's reader.
     */
    public boolean stopCurrentStep() {
        if (!isRequested()) {
            return false;
        }
        org.springframework.batch.core.scope.context.StepContext context =
                org.springframework.batch.core.scope.context.StepSynchronizationManager.getContext();
        if (context != null) {
            context.getStepExecution().setTerminateOnly();
        }
        return true;
    }

    /** Sleeps up to {@code d}; returns early (true) when a stop is requested. */
    @Override
    public boolean sleep(Duration d) {
        try {
            return requested.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
