package io.msabatch.poll;

import io.msabatch.api.AuthenticationException;
import io.msabatch.api.OpenProteinException;
import io.msabatch.api.TransientApiException;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import io.msabatch.run.ServiceWatch;
import io.msabatch.run.StopSignal;
import io.msabatch.submit.SubmissionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the collect step does next, from the ledger: files to write for succeeded jobs, sequences to send
 * again (unsent, or failed within the resubmit budget), submissions in doubt to reconcile, jobs to end (deadline,
 * failures, cancellations), and, through the {@link JobWaiter}, the status checks of the jobs in flight. A failed
 * download or send waits (capped exponential backoff, per job) and is tried again later, so one bad request never
 * stops the run. When nothing is due it sleeps until something is (interruptibly). Not thread-safe: one step thread.
 */
class CollectPlanner {

    private static final Logger log = LoggerFactory.getLogger(CollectPlanner.class);
    /** Reconciliation passes are at least this far apart (each lists the recent jobs once). */
    static final Duration RECONCILE_EVERY = Duration.ofSeconds(5);
    /** Sends of a sequence the service never received are given up after this many intents. */
    static final int MAX_SEND_ATTEMPTS = 20;

    private final RunLedger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final JobWaiter waiter;
    private final SubmissionState submission;
    private final StopSignal stop;
    private final ServiceWatch watch;
    private final Clock clock;
    private final io.msabatch.run.DiskWatch disk;

    private boolean first = true;
    private Instant lastReconcile;
    /** Per sequence: when a failed download or send may be tried again, and how many times it failed. */
    private final Map<String, Instant> retryAt = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    /** Per sequence: the failed downloads that count toward pipeline.download-attempts (not a 404 in the grace). */
    private final Map<String, Integer> downloadFailures = new HashMap<>();

    CollectPlanner(RunLedger ledger, RunContext run, PipelineProperties settings, JobWaiter waiter,
                   SubmissionState submission, StopSignal stop, ServiceWatch watch, Clock clock,
                   io.msabatch.run.DiskWatch disk) {
        this.disk = disk;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.waiter = waiter;
        this.submission = submission;
        this.stop = stop;
        this.watch = watch;
        this.clock = clock;
    }

    /** The work due now (possibly empty after a wait), or null when the step is over (done, or stopping). */
    List<CollectWork> next() {
        String full = disk.problem();
        if (full != null) {
            stop.requestFatal(full);
        }
        if (stop.stopCurrentStep()) {
            return null;
        }
        if (submission.failed()) {
            stop.request("the submit step did not complete");
            stop.stopCurrentStep();
            return null;
        }
        if (watch.gaveUp()) {
            String cause = watch.cause();
            log.error("Giving up: {}", cause);
            stop.request(cause);
            stop.stopCurrentStep();
            return null;
        }
        Instant now = clock.instant();
        List<CollectWork> work = new ArrayList<>();
        if (first) {
            first = false;
            work.addAll(strandedWork());
        }
        List<MsaJobRow> succeeded = ledger.jobsIn(JobState.SUCCEEDED);
        List<MsaJobRow> doubts = ledger.jobsIn(JobState.IN_DOUBT);
        List<MsaJobRow> unsent = ledger.jobsIn(JobState.UNSENT);
        List<MsaJobRow> inFlight = ledger.jobsIn(JobState.SUBMITTED);

        if (run.pastDeadline(now)) {
            return finishAtDeadline(succeeded, doubts, unsent, inFlight);
        }
        succeeded.stream().filter(j -> due(j, now)).forEach(j -> work.add(new CollectWork.Write(j)));
        if (!doubts.isEmpty() && (lastReconcile == null || !lastReconcile.plus(RECONCILE_EVERY).isAfter(now))) {
            lastReconcile = now;
            work.add(new CollectWork.Reconcile(doubts));
        }
        List<MsaJobRow> resend = new ArrayList<>();
        int room = settings.maxInFlight() - inFlight.size();
        for (MsaJobRow j : unsent) {
            if (j.attempts() >= MAX_SEND_ATTEMPTS) {
                work.add(new CollectWork.Finish(j, JobState.UNSENT, JobState.ERROR, "could not be submitted after "
                        + j.attempts() + " attempts: " + j.error()));
            } else if (due(j, now) && resend.size() < Math.max(room, 1)) {
                resend.add(j);
            }
        }
        if (!resend.isEmpty()) {
            resend.forEach(j -> backOff(j.seqHash(), now)); // the next try of these waits, however this one ends
            work.add(new CollectWork.Send(resend, JobState.UNSENT));
        }
        if (!inFlight.isEmpty() && !waiter.nextCheck(inFlight).isAfter(now)) {
            work.addAll(checkStatuses(inFlight));
        }
        if (!work.isEmpty()) {
            return work;
        }
        if (submission.done() && inFlight.isEmpty() && succeeded.isEmpty() && doubts.isEmpty() && unsent.isEmpty()) {
            // safety net: a record that joined a job as it ended still needs its file or outcome
            List<CollectWork> stranded = strandedWork();
            return stranded.isEmpty() ? null : stranded;
        }
        stop.sleep(untilNextDue(now, inFlight, succeeded, unsent, doubts));
        return List.of();
    }

    /** A failed download or send of this sequence: it waits before it is tried again. */
    void backOff(String seqHash, Instant now) {
        int n = failures.merge(seqHash, 1, Integer::sum);
        long seconds = Math.min(settings.pollMax().toSeconds(), 1L << Math.min(n, 10));
        retryAt.put(seqHash, now.plusSeconds(Math.max(1, seconds)));
    }

    /**
     * A download of this sequence's MSA brought nothing: it waits before it is tried again (as any failure does);
     * {@code counts}: it was one of pipeline.download-attempts (a 404 while the service stores the MSA is not).
     */
    void downloadFailed(String seqHash, Instant now, boolean counts) {
        backOff(seqHash, now);
        if (counts) {
            downloadFailures.merge(seqHash, 1, Integer::sum);
        }
    }

    /** How many downloads of this sequence's MSA failed in this execution, counting toward pipeline.download-attempts. */
    int downloadFailures(String seqHash) {
        return downloadFailures.getOrDefault(seqHash, 0);
    }

    void succeeded(String seqHash) {
        failures.remove(seqHash);
        downloadFailures.remove(seqHash);
        retryAt.remove(seqHash);
    }

    private boolean due(MsaJobRow j, Instant now) {
        Instant at = retryAt.get(j.seqHash());
        return at == null || !at.isAfter(now);
    }

    private List<CollectWork> checkStatuses(List<MsaJobRow> inFlight) {
        List<Verdict> verdicts;
        try {
            verdicts = waiter.check(inFlight);
        } catch (AuthenticationException e) {
            throw e;
        } catch (TransientApiException e) {
            watch.failed(e);
            log.warn("Status check failed ({}); trying again later", e.getMessage());
            return List.of();
        } catch (OpenProteinException e) {
            watch.failed(e);
            log.warn("Status check failed ({}); trying again later", e.getMessage());
            return List.of();
        }
        List<CollectWork> work = new ArrayList<>();
        List<MsaJobRow> resubmit = new ArrayList<>();
        for (Verdict v : verdicts) {
            MsaJobRow j = v.job();
            switch (v.outcome()) {
                case SUCCEEDED -> work.add(new CollectWork.Write(j));
                case CANCELED -> work.add(new CollectWork.Finish(j, JobState.SUBMITTED, JobState.CANCELED, v.message()));
                case TIMED_OUT -> work.add(new CollectWork.Finish(j, JobState.SUBMITTED, JobState.TIMED_OUT, v.message()));
                case FAILED, GONE -> {
                    if (j.submissions() <= settings.resubmitFailed()) {
                        log.info("Job {} failed ({}); submitting again (submission {} of {})", j.jobId(), v.message(),
                                j.submissions() + 1, settings.resubmitFailed() + 1);
                        resubmit.add(j);
                    } else {
                        work.add(new CollectWork.Finish(j, JobState.SUBMITTED, JobState.FAILED, v.message()));
                    }
                }
            }
        }
        if (!resubmit.isEmpty()) {
            work.add(new CollectWork.Send(resubmit, JobState.SUBMITTED));
        }
        return work;
    }

    private List<CollectWork> finishAtDeadline(List<MsaJobRow> succeeded, List<MsaJobRow> doubts, List<MsaJobRow> unsent,
                                               List<MsaJobRow> inFlight) {
        int unfinished = succeeded.size() + doubts.size() + unsent.size() + inFlight.size();
        if (unfinished == 0) {
            List<CollectWork> stranded = strandedWork();
            return stranded.isEmpty() && submission.done() ? null : stranded.isEmpty() ? waitForSubmission() : stranded;
        }
        log.warn("Deadline of {} reached with {} jobs unfinished; reporting them TIMED_OUT", settings.deadline(), unfinished);
        List<CollectWork> work = new ArrayList<>();
        String limit = " (setting pipeline.deadline)";
        // the waiter's verdict on a job in flight at the deadline (TIMED_OUT, with its last status)
        waiter.check(inFlight).forEach(v -> work.add(new CollectWork.Finish(v.job(), JobState.SUBMITTED,
                JobState.TIMED_OUT, v.message())));
        succeeded.forEach(j -> work.add(new CollectWork.Finish(j, JobState.SUCCEEDED, JobState.TIMED_OUT,
                "the MSA of job " + j.jobId() + " could not be fetched before the deadline of " + settings.deadline()
                        + limit)));
        doubts.forEach(j -> work.add(new CollectWork.Finish(j, JobState.IN_DOUBT, JobState.TIMED_OUT,
                "its submission was still in doubt at the deadline of " + settings.deadline() + limit)));
        unsent.forEach(j -> work.add(new CollectWork.Finish(j, JobState.UNSENT, JobState.TIMED_OUT,
                "not submitted before the deadline of " + settings.deadline() + ": " + j.error() + limit)));
        return work;
    }

    private List<CollectWork> waitForSubmission() {
        stop.sleep(settings.pollMin());
        return List.of();
    }

    /** Records still waiting on a job that already ended: write their file (DONE) or give them its outcome. */
    private List<CollectWork> strandedWork() {
        List<CollectWork> work = new ArrayList<>();
        for (MsaJobRow j : ledger.endedWithWaitingRecords()) {
            if (j.state() == JobState.DONE) {
                ledger.reopen(j.seqHash());
            } else {
                work.add(new CollectWork.Finish(j, j.state(), j.state(), j.error()));
            }
        }
        return work;
    }

    private Duration untilNextDue(Instant now, List<MsaJobRow> inFlight, List<MsaJobRow> succeeded,
                                  List<MsaJobRow> unsent, List<MsaJobRow> doubts) {
        List<Instant> candidates = new ArrayList<>();
        candidates.add(run.deadline());
        if (!inFlight.isEmpty()) {
            candidates.add(waiter.nextCheck(inFlight));
        } else {
            candidates.add(now.plus(settings.pollMin())); // submission is still sending: look again soon
        }
        for (MsaJobRow j : succeeded) {
            candidates.add(retryAt.getOrDefault(j.seqHash(), now));
        }
        for (MsaJobRow j : unsent) {
            candidates.add(retryAt.getOrDefault(j.seqHash(), now));
        }
        if (!doubts.isEmpty() && lastReconcile != null) {
            candidates.add(lastReconcile.plus(RECONCILE_EVERY));
        }
        Instant next = candidates.stream().min(Comparator.naturalOrder()).orElse(now.plus(settings.pollMin()));
        Duration d = Duration.between(now, next);
        return d.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : d;
    }
}
