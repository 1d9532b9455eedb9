package io.msabatch.ledger;

import java.time.Instant;

/** One row of the MSA_JOB table: the job of one distinct sequence within a run. */
public record MsaJobRow(long runId, String seqHash, String sequence, JobState state, String jobId, String jobStatus,
                        int attempts, Instant intentAt, Instant submittedAt, Instant finishedAt, String error) {
}
