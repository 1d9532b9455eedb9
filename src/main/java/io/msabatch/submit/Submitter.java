package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.api.JobQuery;
import io.msabatch.api.JobStatus;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.UncertainSubmissionException;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one sequence as an MSA job without ever paying twice: the intent is committed before the POST, and a
 * sequence whose earlier attempt may have reached the service (a crash after the intent, or an uncertain answer) is
 * first looked for among the jobs created since that attempt, comparing RAW seeds; only when none matches is it
 * sent again. Thread-safe.
 */
@Component
public class Submitter {

    static final String ALIGN_JOB_TYPE = "/align/align";
    /** Allowance for a clock difference between this machine and the service when listing recent jobs. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final OpenProteinClient client;
    private final Ledger ledger;

    public Submitter(OpenProteinClient client, Ledger ledger) {
        this.client = client;
        this.ledger = ledger;
    }

    /**
     * Returns the job computing {@code sequence} for this run, submitting it when needed. The job id is NOT yet
     * recorded as SUBMITTED: the caller records it in its chunk transaction.
     */
    public Job submit(long runId, String seqHash, String sequence) {
        Optional<MsaJobRow> existing = ledger.findJob(runId, seqHash);
        if (existing.isPresent() && existing.get().state() == JobState.SUBMITTING && existing.get().intentAt() != null) {
            Optional<Job> adopted = reconcile(sequence, existing.get().intentAt());
            if (adopted.isPresent()) {
                log.info("Adopted job {} created by an earlier attempt (sequence {}...)", adopted.get().jobId(),
                        seqHash.substring(0, 12));
                return adopted.get();
            }
        }
        return send(runId, seqHash, sequence);
    }

    /** A fresh attempt for a job that ended FAILURE (the resubmit budget is the caller's). */
    public Job resubmit(long runId, String seqHash, String sequence) {
        return send(runId, seqHash, sequence);
    }

    private Job send(long runId, String seqHash, String sequence) {
        for (int uncertain = 0; ; uncertain++) {
            Instant intent = ledger.recordIntentNow(runId, seqHash, sequence);
            try {
                return client.submitMsa(sequence);
            } catch (UncertainSubmissionException e) {
                log.warn("Submission of sequence {}... may have reached the service ({}); reconciling before any resend",
                        seqHash.substring(0, 12), e.getMessage());
                Optional<Job> adopted = reconcile(sequence, e.attemptedAt() != null ? e.attemptedAt() : intent);
                if (adopted.isPresent()) {
                    return adopted.get();
                }
                if (uncertain >= 2) {
                    throw e;
                }
            }
        }
    }

    /**
     * Looks for a job created since {@code since} whose RAW seed equals {@code sequence}; the oldest match wins.
     */
    Optional<Job> reconcile(String sequence, Instant since) {
        List<Job> candidates = client.listJobs(new JobQuery(null, ALIGN_JOB_TYPE, since.minus(CLOCK_SKEW), 500));
        return candidates.stream()
                // a job that already failed or was canceled is an earlier attempt, not the one this intent sent
                .filter(job -> job.status() != JobStatus.FAILURE && job.status() != JobStatus.CANCELED)
                .sorted(Comparator.comparing(Job::createdDate, Comparator.nullsLast(Comparator.naturalOrder())))
                .filter(job -> sequence.equals(normalise(client.fetchSeed(job.jobId()))))
                .findFirst();
    }

    private static String normalise(String seed) {
        return seed == null ? null : seed.replaceAll("\\s+", "").toUpperCase();
    }
}
