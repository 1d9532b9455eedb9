package io.msabatch.ledger;

/**
 * Where the MSA job of one distinct sequence stands within a run. The life cycle:
 * <pre>
 *   SUBMITTING ──answer──▶ SUBMITTED ──SUCCESS──▶ SUCCEEDED ──files written──▶ DONE
 *     │  (write-ahead:        │  ▲                  │
 *     │   maybe sent)         │  └── FAILURE, within the resubmit budget: sent again
 *     ├─▶ IN_DOUBT ─reconciled: found──▶ SUBMITTED      ├──▶ ERROR (the MSA could not be fetched)
 *     │      └──── not found ──▶ UNSENT ──sent again──▶ SUBMITTING
 *     └─▶ UNSENT (certainly not received: refused connection, 429)
 *   any unfinished state ──▶ FAILED, TIMED_OUT, CANCELED
 * </pre>
 */
public enum JobState {
    /** The write-ahead intent: committed before the POST; after a crash it means "maybe sent". */
    SUBMITTING,
    /** The POST may have reached the service but no usable answer came: reconcile before sending again. */
    IN_DOUBT,
    /** Certainly not received by the service (or reconciled as never created): to be sent again. */
    UNSENT,
    /** The service has the job (its id is known) and has not finished it. */
    SUBMITTED,
    /** The service reports SUCCESS; the records' files are still to be written. */
    SUCCEEDED,
    /** Every record of the sequence has its verified file. */
    DONE,
    FAILED, TIMED_OUT, CANCELED,
    /** The job succeeded but its MSA could not be fetched or verified. */
    ERROR;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == TIMED_OUT || this == CANCELED || this == ERROR;
    }

    /** What a record that follows a job in this state has as its outcome (PENDING until the job ends). */
    public RecordState recordState() {
        return switch (this) {
            case FAILED -> RecordState.FAILURE;
            case TIMED_OUT -> RecordState.TIMED_OUT;
            case CANCELED -> RecordState.CANCELED;
            case ERROR -> RecordState.ERROR;
            default -> RecordState.PENDING;
        };
    }
}
