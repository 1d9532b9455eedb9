package io.msabatch.ledger;

/** Where a record's MSA came from: a job this run submitted, an earlier run's job adopted in flight, or reused done. */
public enum Origin {
    SUBMITTED, ADOPTED, REUSED
}
