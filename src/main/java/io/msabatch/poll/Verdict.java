package io.msabatch.poll;

import io.msabatch.ledger.MsaJobRow;

/**
 * What a status check concluded about one job in flight that needs doing something: it succeeded, failed, was
 * canceled, is gone (404 after the visibility grace), or timed out (still in flight at the run's deadline). Jobs
 * still running, or not visible yet, get no verdict.
 */
record Verdict(MsaJobRow job, Outcome outcome, String status, String message) {

    enum Outcome { SUCCEEDED, FAILED, CANCELED, GONE, TIMED_OUT }
}
