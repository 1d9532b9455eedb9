package io.msabatch.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On SIGTERM or Ctrl-C (the JVM's shutdown closes the context), asks the running execution to stop before anything
 * else is torn down: steps stop submitting, finish their current chunk, record their state and end STOPPED; this
 * waits for that (at most 60 s) so the database is still open meanwhile. The next run resumes.
 */
@Component
class GracefulStop implements SmartLifecycle {

    static final String SIGNALLED = "the process was asked to stop (SIGTERM or Ctrl-C)";
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final ActiveRun active;
    private volatile boolean running;

    GracefulStop(ActiveRun active) {
        this.active = active;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!active.requestStop(SIGNALLED)) {
            return;
        }
        log.warn("Stop requested: finishing the current chunk and recording state; run the same command again to resume");
        try {
            if (!active.awaitEnd(60)) {
                log.warn("The job did not stop within 60 s; the next run will recover it");
            } else if (!active.awaitReturned(30)) {
                // the context closes under it: without this wait, a slow machine lost the race and left it STARTED
                log.warn("The job's end was not recorded within 30 s; the next run will recover it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
