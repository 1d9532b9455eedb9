package io.msabatch.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where the MSA job of one distinct sequence stands. {@code SUBMITTING} is the write-ahead intent: committed before
 * the POST, so after a crash a row in this state means "maybe sent" and must be reconciled before sending again.
 */
public enum JobState {
    SUBMITTING, SUBMITTED, SUCCEEDED, DONE, FAILED, TIMED_OUT, CANCELED;

    /** States in which the service may still be working on the job. */
    public static final Set<JobState> IN_FLIGHT = EnumSet.of(SUBMITTING, SUBMITTED);

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == TIMED_OUT || this == CANCELED;
    }
}
