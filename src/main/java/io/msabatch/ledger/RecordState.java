package io.msabatch.ledger;

/** Where one input record stands. {@code SUCCESS} means its file is written and verified. */
public enum RecordState {
    ACCEPTED, REJECTED, SUCCESS, FAILURE, TIMED_OUT, CANCELED, ERROR;

    public boolean isFinal() {
        return this != ACCEPTED;
    }
}
