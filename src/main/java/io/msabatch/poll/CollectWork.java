package io.msabatch.poll;

import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;

/**
 * One thing the collect step must do for a job whose status changed: write its files, submit it again, reconcile an
 * in-doubt submission, or record a final outcome.
 */
public record CollectWork(Kind kind, MsaJobRow job, JobState finalState, String error) {

    public enum Kind { WRITE, RESUBMIT, RECONCILE, FINALIZE }

    static CollectWork write(MsaJobRow job) {
        return new CollectWork(Kind.WRITE, job, null, null);
    }

    static CollectWork resubmit(MsaJobRow job, String previousError) {
        return new CollectWork(Kind.RESUBMIT, job, null, previousError);
    }

    static CollectWork reconcile(MsaJobRow job) {
        return new CollectWork(Kind.RECONCILE, job, null, null);
    }

    static CollectWork finalize(MsaJobRow job, JobState state, String error) {
        return new CollectWork(Kind.FINALIZE, job, state, error);
    }
}
