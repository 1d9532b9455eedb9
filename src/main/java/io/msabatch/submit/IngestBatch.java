package io.msabatch.submit;

import io.msabatch.ledger.MsaJobRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A batch of checked seeds and what became of each distinct sequence, for {@link IngestWriter} to record in the
 * chunk's transaction.
 */
record IngestBatch(List<CheckedSeed> seeds, Map<String, Fate> fates) {

    /** What became of one sequence of the batch. */
    sealed interface Fate {
    }

    /** This run already has a job for it: the records join it. */
    record Joined(MsaJobRow job) implements Fate {
    }

    /** An earlier run's job is still in flight: this run adopts it. */
    record Adopted(MsaJobRow earlier) implements Fate {
    }

    /** An earlier run's job succeeded within the reuse age; {@code file} is a verified file of it to copy, or null. */
    record Reused(MsaJobRow earlier, Path file) implements Fate {
    }

    /** Sent now: what the service answered. */
    record Sent(SendOutcome outcome) implements Fate {
    }

    /** Not sent: the run's deadline had passed. */
    record TooLate(String reason) implements Fate {
    }
}
