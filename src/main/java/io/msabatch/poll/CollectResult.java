package io.msabatch.poll;

import io.msabatch.ledger.MsaJobRow;
import io.msabatch.submit.Reconciler;
import io.msabatch.submit.SendOutcome;
import java.util.List;

/** What doing one {@link CollectWork} produced, for {@link CollectWriter} to record. */
sealed interface CollectResult {

    /** Files of a succeeded job: one outcome per waiting record, and its MSA's quality when measured now. */
    record Written(MsaJobRow job, List<FileOutcome> files, io.msabatch.ledger.MsaStats stats) implements CollectResult {
    }

    /**
     * The MSA could not be had: try again later, or ({@code last}) give its records ERROR with {@code why}.
     * {@code counts}: whether this was one of {@code pipeline.download-attempts} (a 404 in the result grace is not).
     */
    record NotFetched(MsaJobRow job, String why, boolean last, boolean counts) implements CollectResult {
    }

    record Sent(CollectWork.Send work, List<SendOutcome> outcomes) implements CollectResult {
    }

    record Reconciled(Reconciler.Result result) implements CollectResult {
    }

    record Finished(CollectWork.Finish work) implements CollectResult {
    }

    /** One record's file: a checksum when written and verified, otherwise an error. */
    record FileOutcome(long recordNo, String checksum, String error) {
    }
}
