package io.msabatch.submit;

import io.msabatch.input.SeedRecord;

/**
 * An input record after the checks that must run in input order (validation, the repeated-id rule): either
 * accepted, with its normalised sequence and hash, or rejected with a reason.
 */
record CheckedSeed(SeedRecord record, String sequence, String seqHash, String rejectReason, String warning) {

    static CheckedSeed rejected(SeedRecord r, String reason) {
        return new CheckedSeed(r, null, null, reason, null);
    }

    boolean accepted() {
        return rejectReason == null;
    }
}
