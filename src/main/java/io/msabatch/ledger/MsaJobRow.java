package io.msabatch.ledger;

import java.time.Instant;

/**
 * One row of MSA_JOB: the job of one distinct sequence within a run. {@code attempts} counts write-ahead intents,
 * {@code submissions} the jobs the service confirmed; {@code createdAt} is the service's created_date (null until
 * known).
 */
public record MsaJobRow(long runId, String seqHash, String sequence, JobState state, String jobId, String jobStatus,
                        int attempts, int submissions, Instant intentAt, Instant submittedAt, Instant createdAt,
                        Instant finishedAt, Origin origin, String error) {
}
