package io.msabatch.poll;

import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import java.util.List;

/** One thing the collect step must do. */
sealed interface CollectWork {

    /** Download a succeeded job's MSA and write the files of the records waiting on it. */
    record Write(MsaJobRow job) implements CollectWork {
    }

    /** Send these sequences again, each from {@code from}: UNSENT ones, or ones whose job failed within the budget. */
    record Send(List<MsaJobRow> jobs, JobState from) implements CollectWork {
    }

    /** Reconcile these submissions in doubt, in one pass. */
    record Reconcile(List<MsaJobRow> doubts) implements CollectWork {
    }

    /** End a job with a final state and message; its waiting records take the outcome. */
    record Finish(MsaJobRow job, JobState from, JobState to, String message) implements CollectWork {
    }
}
