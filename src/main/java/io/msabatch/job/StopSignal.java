package io.msabatch.job;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.stereotype.Component;

/**
 * Set when the process is asked to stop (SIGTERM, Ctrl-C). Readers check it between items and end their step as
 * STOPPED; waits use {@link #sleep(Duration)} so a stop request interrupts them at once.
 */
@Component
public class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Sleeps up to {@code d}; returns early (true) when a stop is requested. */
    public boolean sleep(Duration d) {
        try {
            return requested.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * When a stop was requested, marks the current step "terminate only" (it ends STOPPED after its current chunk,
     * and the next run resumes it) and returns true.
     */
    public boolean stopCurrentStep() {
        if (!isRequested()) {
            return false;
        }
        StepContext context = StepSynchronizationManager.getContext();
        if (context != null) {
            context.getStepExecution().setTerminateOnly();
        }
        return true;
    }
}
