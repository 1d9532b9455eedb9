package io.msabatch.submit;

import io.msabatch.api.AuthenticationException;
import io.msabatch.api.Job;
import io.msabatch.api.JobStatus;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinException;
import io.msabatch.api.PermanentApiException;
import io.msabatch.api.TransientApiException;
import io.msabatch.api.UncertainSubmissionException;
import io.msabatch.ledger.RunLedger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends sequences as MSA jobs without ever paying twice: the write-ahead intents of a whole batch are committed in
 * one transaction before any of its POSTs leaves, then the POSTs go out in parallel. Each sequence's fate is a
 * {@link SendOutcome}; nothing here retries blind (an uncertain answer is reconciled later, in one pass with the
 * others). Only a refused login stops the batch ({@link AuthenticationException}). Thread-safe.
 */
public class Submitter {

    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final OpenProteinClient client;
    private final KnownJobs known;
    private final ExecutorService pool;
    private final Clock clock;

    public Submitter(OpenProteinClient client, KnownJobs known, ExecutorService pool, Clock clock) {
        this.client = client;
        this.known = known;
        this.pool = pool;
        this.clock = clock;
    }

    /** What the ledger keeps of the service's job for a sequence (its status as an enum decides SUCCESS). */
    public static RunLedger.Answer answer(String seqHash, Job job) {
        return new RunLedger.Answer(seqHash, job.jobId(), job.rawStatus(), job.status() == JobStatus.SUCCESS,
                job.createdDate());
    }

    /**
     * Commits the intents, sends the sequences whose intent took, and returns one outcome per sent sequence (an
     * intent that did not take, because its row moved on meanwhile, is not sent and has no outcome).
     */
    public List<SendOutcome> send(RunLedger ledger, List<RunLedger.Intent> intents) {
        if (intents.isEmpty()) {
            return List.of();
        }
        List<RunLedger.Intent> taken = ledger.intend(intents, clock.instant());
        List<CompletableFuture<SendOutcome>> futures = new ArrayList<>(taken.size());
        for (RunLedger.Intent intent : taken) {
            futures.add(CompletableFuture.supplyAsync(() -> sendOne(intent), pool));
        }
        List<SendOutcome> outcomes = new ArrayList<>(futures.size());
        AuthenticationException refusedLogin = null;
        for (CompletableFuture<SendOutcome> f : futures) {
            try {
                outcomes.add(f.join());
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof AuthenticationException auth) {
                    refusedLogin = auth; // the intents stay SUBMITTING: the next run reconciles them
                } else {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (refusedLogin != null) {
            throw refusedLogin;
        }
        return outcomes;
    }

    private SendOutcome sendOne(RunLedger.Intent intent) {
        Instant attempt = clock.instant();
        try {
            Job job = client.submitMsa(intent.sequence());
            known.answered(job.jobId());
            return new SendOutcome.Sent(intent.seqHash(), job);
        } catch (UncertainSubmissionException e) {
            log.warn("Submission of sequence {}... may have reached the service ({}); it will be reconciled",
                    intent.seqHash().substring(0, 12), e.getMessage());
            return new SendOutcome.InDoubt(intent.seqHash(), e.attemptedAt() != null ? e.attemptedAt() : attempt,
                    e.getMessage());
        } catch (TransientApiException e) {
            // the client raises this for a creating POST only when it certainly did not arrive (429, no connection)
            log.warn("Submission of sequence {}... was not received ({}); it will be sent again later",
                    intent.seqHash().substring(0, 12), e.getMessage());
            return new SendOutcome.Unsent(intent.seqHash(), e.getMessage());
        } catch (AuthenticationException e) {
            throw e;
        } catch (PermanentApiException e) {
            if (e.refusesInput()) {
                return new SendOutcome.Refused(intent.seqHash(), "the service refused the sequence: "
                        + (e.detail() != null ? e.detail() : e.getMessage()));
            }
            // e.g. an unexpected 404 or an unreadable answer: the job may exist
            return new SendOutcome.InDoubt(intent.seqHash(), attempt, e.getMessage());
        } catch (OpenProteinException e) {
            return new SendOutcome.InDoubt(intent.seqHash(), attempt, e.getMessage());
        }
    }
}
