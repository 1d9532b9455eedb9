package io.msabatch.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What one job execution is: its run (the ledger key, a Spring Batch job instance), the pipeline it belongs to,
 * its folders, when it started and until when it may wait. Built per execution from the job parameters; immutable.
 *
 * @param runId     the job instance id: the ledger's key of the run (all executions of a run share it)
 * @param pipeline  the pipeline's name
 * @param runDate   the night the run belongs to
 * @param outputDir absolute output folder
 * @param stateDir  absolute state folder (database, lock, downloads, embedded emulator data)
 * @param startedAt when this execution started
 * @param deadline  after this, nothing more is sent and jobs still unfinished are reported TIMED_OUT
 */
public record RunContext(long runId, String pipeline, String runDate, Path outputDir, Path stateDir, Instant startedAt,
                         Instant deadline) {

    public static RunContext of(long runId, String pipeline, String runDate, Path outputDir, Path stateDir,
                                Instant startedAt, Duration deadline) {
        return new RunContext(runId, pipeline, runDate, outputDir, stateDir, startedAt, startedAt.plus(deadline));
    }

    public boolean pastDeadline(Instant now) {
        return now.isAfter(deadline);
    }

    /** Where MSAs are downloaded before they become files (inside the state folder). */
    public Path downloads() {
        return stateDir.resolve("downloads");
    }
}
