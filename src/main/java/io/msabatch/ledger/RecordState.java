package io.msabatch.ledger;

/** Where one input record stands. {@code SUCCESS} means its file is written and verified; PENDING waits for its job. */
public enum RecordState {
    PENDING, REJECTED, SUCCESS, FAILURE, TIMED_OUT, CANCELED, ERROR;

    public boolean isFinal() {
        return this != PENDING;
    }
}
