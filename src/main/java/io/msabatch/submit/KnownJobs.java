package io.msabatch.submit;

import io.msabatch.ledger.Ledger;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job ids this process knows are ours: those in the ledger (any run) and those the service answered in this
 * execution that are not committed yet. Reconciliation never fetches the seed of a known job. One per execution
 * ({@link SubmitStepConfiguration#knownJobs}). Thread-safe.
 */
public class KnownJobs {

    private final Ledger ledger;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    public KnownJobs(Ledger ledger) {
        this.ledger = ledger;
    }

    /** A POST answered with this job id (its chunk will record it). */
    public void answered(String jobId) {
        answered.add(jobId);
    }

    /** The ids are in the ledger now (or their chunk is gone): no need to remember them here. */
    public void recorded(Collection<String> jobIds) {
        answered.removeAll(jobIds);
    }

    /** Which of {@code jobIds} are known. */
    public Set<String> known(Collection<String> jobIds) {
        Set<String> known = new HashSet<>(ledger.knownJobIds(jobIds));
        for (String id : jobIds) {
            if (answered.contains(id)) {
                known.add(id);
            }
        }
        return known;
    }
}
