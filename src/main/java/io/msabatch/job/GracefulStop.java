package io.msabatch.job;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On SIGTERM or Ctrl-C (the JVM's shutdown closes the context), asks the running job to stop before anything else
 * is torn down: steps stop submitting, finish their current chunk, record their state and end STOPPED; this waits
 * for that (at most 60 s) so the database is still open meanwhile. The next run resumes.
 */
@Component
class GracefulStop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final StopSignal stop;
    private final RunListener runListener;
    private final PipelineRunner runner;
    private volatile boolean running;

    GracefulStop(StopSignal stop, RunListener runListener, PipelineRunner runner) {
        this.stop = stop;
        this.runListener = runListener;
        this.runner = runner;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!runner.jobRunning()) {
            return;
        }
        log.warn("Stop requested: finishing the current chunk and recording state; run the same command again to resume");
        stop.request();
        try {
            if (!runListener.ended().await(60, TimeUnit.SECONDS)) {
                log.warn("The job did not stop within 60 s; the next run will recover it");
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
