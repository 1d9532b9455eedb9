package io.msabatch.job;

import java.nio.file.Path;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Facts about the run in progress that every step needs (its ledger key, output directory, start time). One job
 * runs per JVM, so this is a singleton set when the job execution starts.
 */
@Component
public class RunContext {

    private volatile long runId = -1;
    private volatile Path outputDir;
    private volatile Path stateDir;
    private volatile Instant startedAt;

    public void start(long runId, Path outputDir, Path stateDir, Instant startedAt) {
        this.runId = runId;
        this.outputDir = outputDir;
        this.stateDir = stateDir;
        this.startedAt = startedAt;
    }

    public long runId() {
        if (runId < 0) {
            throw new IllegalStateException("no run in progress");
        }
        return runId;
    }

    public Path outputDir() {
        return outputDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
