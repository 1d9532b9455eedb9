package io.msabatch.submit;

import io.msabatch.api.Job;
import java.time.Instant;

/**
 * What became of sending one sequence: the job the service answered with, an answer in doubt (reconcile before
 * sending again), certainly not received (send again later), or refused as bad input (final).
 */
public sealed interface SendOutcome {

    String seqHash();

    /** The service answered with its job. */
    record Sent(String seqHash, Job job) implements SendOutcome {
    }

    /** The POST may have arrived; {@code attemptedAt} is when it began. */
    record InDoubt(String seqHash, Instant attemptedAt, String why) implements SendOutcome {
    }

    /** Certainly not received (no connection, 429) after the client's retries. */
    record Unsent(String seqHash, String why) implements SendOutcome {
    }

    /** The service refused the sequence itself (400/413/422). */
    record Refused(String seqHash, String reason) implements SendOutcome {
    }
}
