package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.input.SeedRecord;
import io.msabatch.ledger.Ledger;

/**
 * An input record after validation and submission. {@code rejectReason} is set for a rejected record;
 * {@code newJob} is set when this record's sequence was sent (or adopted) in this chunk and its job id still has
 * to be recorded; {@code sharedJobId} when the sequence already had a recorded job; {@code reused} when an earlier
 * night's file of the same sequence is copied instead (pipeline.reuse-max-age).
 */
public record IngestedRecord(SeedRecord record, String sequence, String seqHash, String rejectReason, String warning,
                      Job newJob, String sharedJobId, Ledger.ReusableFile reused) {

    static IngestedRecord rejected(SeedRecord r, String reason) {
        return new IngestedRecord(r, null, null, reason, null, null, null, null);
    }

    /** An accepted record that was not sent because the run's deadline had passed. */
    static IngestedRecord notSentAfterDeadline(CheckedSeed seed, String reason) {
        return new IngestedRecord(seed.record(), seed.sequence(), seed.seqHash(), null, reason, null, null, null);
    }

    public boolean notSent() {
        return accepted() && newJob == null && sharedJobId == null && reused == null && warning != null
                && warning.startsWith(NOT_SENT);
    }

    static final String NOT_SENT = "not submitted: ";

    public boolean accepted() {
        return rejectReason == null;
    }
}
