package io.msabatch.poll;

import io.msabatch.ledger.MsaJobRow;

/**
 * What a status check concluded about one job in flight that needs doing something: it succeeded, failed, was
 * canceled, or is gone (404 after the visibility grace). Jobs still running, or not visible yet, get no verdict.
 */
record Verdict(MsaJobRow job, Outcome outcome, String status, String message) {

    enum Outcome { SUCCEEDED, FAILED, CANCELED, GONE }
}
