package io.msabatch.poll;

import io.msabatch.job.RunContext;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RecordState;
import java.util.List;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Records what the collect step did, in the chunk's transaction: files written (record SUCCESS with checksum, job
 * DONE), new job ids of resubmissions, final outcomes (FAILURE, TIMED_OUT, CANCELED) copied to every record of the
 * sequence.
 */
public class AlignmentFilesWriter implements ItemWriter<List<CollectResult>> {

    private final Ledger ledger;
    private final RunContext run;

    public AlignmentFilesWriter(Ledger ledger, RunContext run) {
        this.ledger = ledger;
        this.run = run;
    }

    @Override
    public void write(Chunk<? extends List<CollectResult>> chunk) {
        long runId = run.runId();
        ledger.lockJobs(runId, chunk.getItems().stream().flatMap(List::stream).map(r -> r.work().job().seqHash()).toList());
        for (List<CollectResult> batch : chunk) {
            for (CollectResult result : batch) {
                record(runId, result);
            }
        }
    }

    private void record(long runId, CollectResult result) {
        var job = result.work().job();
        switch (result.work().kind()) {
            case WRITE -> {
                if (result.files() == null) {
                    return; // not downloadable yet; the job stays SUBMITTED and is checked again
                }
                for (CollectResult.FileOutcome f : result.files()) {
                    if (f.error() == null) {
                        ledger.markRecordWritten(runId, f.recordNo(), job.jobId(), job.attempts(), f.checksum());
                    } else {
                        ledger.markRecordError(runId, f.recordNo(), f.error());
                    }
                }
                boolean recordJoined = ledger.recordsOfHash(runId, job.seqHash()).stream()
                        .anyMatch(r -> r.state() == RecordState.ACCEPTED && result.files().stream()
                                .noneMatch(f -> f.recordNo() == r.recordNo()));
                if (!recordJoined) {
                    ledger.transition(runId, job.seqHash(), job.state(), JobState.DONE, "SUCCESS", null);
                } // else: a record joined while the MSA was written; the job stays SUBMITTED and is written again

            }
            case RESUBMIT, RECONCILE -> {
                if (result.newJob() == null) { // the service refused the sequence: final
                    ledger.transition(runId, job.seqHash(), JobState.SUBMITTING, JobState.FAILED, null, result.error());
                    ledger.updateRecordsOfHash(runId, job.seqHash(), RecordState.FAILURE, job.jobId(), job.attempts(),
                            result.error());
                    return;
                }
                ledger.recordSubmitted(runId, job.seqHash(), result.newJob().jobId(), result.newJob().rawStatus());
                int attempts = ledger.findJob(runId, job.seqHash()).map(j -> j.attempts()).orElse(job.attempts());
                ledger.updateRecordsOfHash(runId, job.seqHash(), RecordState.ACCEPTED, result.newJob().jobId(), attempts,
                        result.error() == null ? null : "earlier attempt: " + result.error());
            }
            case FINALIZE -> {
                JobState state = result.work().finalState();
                ledger.transition(runId, job.seqHash(), job.state(), state, null, result.error());
                RecordState recordState = switch (state) {
                    case TIMED_OUT -> RecordState.TIMED_OUT;
                    case CANCELED -> RecordState.CANCELED;
                    default -> RecordState.FAILURE;
                };
                ledger.updateRecordsOfHash(runId, job.seqHash(), recordState, job.jobId(), job.attempts(), result.error());
            }
        }
    }
}
