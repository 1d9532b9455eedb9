package io.msabatch.poll;

import io.msabatch.api.Job;
import io.msabatch.api.JobQuery;
import io.msabatch.api.JobStatus;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinException;
import io.msabatch.job.PipelineProperties;
import io.msabatch.job.RunContext;
import io.msabatch.job.StopSignal;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The polling step's reader: waits until some jobs in flight reach a terminal status and hands them out as one
 * batch (one chunk = one transaction). Statuses come from {@code GET /jobs} pages when many jobs are in flight and
 * from per-job GETs otherwise. Between checks it waits longer the older the jobs are (with jitter), never spins,
 * and wakes at once on a stop request. Returns null when submission is over and nothing is in flight. After the
 * execution's deadline, jobs still in flight are reported TIMED_OUT. State lives in the ledger, so a restart
 * needs no checkpoint. Used by one step thread.
 */
public class FinishedJobsReader implements ItemReader<List<CollectWork>> {

    static final String ALIGN_JOB_TYPE = "/align/align";
    private static final Logger log = LoggerFactory.getLogger(FinishedJobsReader.class);

    private final OpenProteinClient client;
    private final Ledger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final StopSignal stop;
    private final BooleanSupplier submissionFailed;
    private final BooleanSupplier submissionCompletedHere;
    private final Clock clock;
    private boolean firstRead = true;
    /** Work found by one poll beyond what one chunk takes; handed out first by the next reads. */
    private final java.util.ArrayDeque<CollectWork> backlog = new java.util.ArrayDeque<>();
    /** When the last status check ran and whether it found anything: the next one waits accordingly. */
    private Instant lastCheck;
    private boolean lastCheckFoundWork;

    public FinishedJobsReader(OpenProteinClient client, Ledger ledger, RunContext run, PipelineProperties settings,
                              StopSignal stop, BooleanSupplier submissionFailed, BooleanSupplier submissionCompletedHere,
                              Clock clock) {
        this.submissionCompletedHere = submissionCompletedHere;
        this.client = client;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.stop = stop;
        this.submissionFailed = submissionFailed;
        this.clock = clock;
    }

    /**
     * One batch of work (at most {@link #MAX_BATCH} items, so a stop request is honoured within one short chunk),
     * an empty batch after a wait (each chunk transaction spans one poll, never hours), or null at the end.
     */
    @Override
    public List<CollectWork> read() {
        if (!backlog.isEmpty() && !stop.stopCurrentStep()) {
            return takeBatch();
        }
        List<CollectWork> found = poll();
        if (found == null || found.size() <= MAX_BATCH) {
            return found;
        }
        backlog.addAll(found);
        return takeBatch();
    }

    static final int MAX_BATCH = 200;

    private List<CollectWork> takeBatch() {
        List<CollectWork> batch = new ArrayList<>();
        while (!backlog.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(backlog.poll());
        }
        return batch;
    }

    private List<CollectWork> poll() {
        long runId = run.runId();
        if (firstRead) {
            firstRead = false;
            List<CollectWork> leftovers = leftoversOfEarlierExecutions(runId);
            if (!leftovers.isEmpty()) {
                return leftovers;
            }
        }
        while (true) {
            if (stop.stopCurrentStep()) {
                return null;
            }
            if (submissionFailed.getAsBoolean()) {
                // the submit step failed: end here; the job fails and the next run resumes both steps
                stop.request();
                stop.stopCurrentStep();
                return null;
            }
            List<MsaJobRow> inFlight = ledger.jobsInState(runId, EnumSet.of(JobState.SUBMITTED));
            boolean submissionDone = submissionCompletedHere.getAsBoolean() || ledger.submissionDone(runId);
            List<CollectWork> ready = new ArrayList<>();
            if (submissionDone) {
                // intents whose records were ingested but whose answer never came (orphans of a failed chunk)
                ledger.jobsInState(runId, EnumSet.of(JobState.SUBMITTING)).stream()
                        .filter(j -> !ledger.recordsOfHash(runId, j.seqHash()).isEmpty())
                        .forEach(j -> ready.add(CollectWork.reconcile(j)));
            }
            if (!inFlight.isEmpty()) {
                if (deadlinePassed()) {
                    log.warn("Deadline of {} reached with {} jobs unfinished; reporting them TIMED_OUT",
                            settings.deadline(), inFlight.size());
                    inFlight.forEach(j -> ready.add(CollectWork.finalize(j, JobState.TIMED_OUT,
                            "gave up after " + settings.deadline() + " waiting for job " + j.jobId()
                                    + " (last status " + j.jobStatus() + "; setting pipeline.deadline)")));
                } else if (ready.isEmpty() && waitNeeded(inFlight)) {
                    stop.sleep(untilNextCheck(inFlight));
                    return List.of(); // an empty chunk: ends this transaction, the next read polls
                } else {
                    ready.addAll(checkStatuses(inFlight));
                    lastCheck = clock.instant();
                    lastCheckFoundWork = !ready.isEmpty();
                }
            }
            if (!ready.isEmpty()) {
                return ready;
            }
            if (inFlight.isEmpty()) {
                if (submissionDone) {
                    // safety net: a record that joined a job as it ended still needs its file or outcome
                    List<MsaJobRow> stranded = ledger.endedJobsWithWaitingRecords(runId);
                    if (stranded.isEmpty()) {
                        return null;
                    }
                    ready.addAll(strandedWork(stranded));
                    return ready;
                }
                stop.sleep(settings.pollMin()); // submission is still sending the first jobs
                return List.of();
            }
        }
    }

    /**
     * Spaces status checks: {@code poll-min} after a check that found finished jobs (they keep coming), otherwise a
     * wait that grows with the age of the jobs in flight.
     */
    private Duration untilNextCheck(List<MsaJobRow> inFlight) {
        if (lastCheck == null) {
            return Duration.ZERO;
        }
        Duration wait = lastCheckFoundWork ? settings.pollMin() : nextDelay(inFlight);
        return Duration.between(clock.instant(), lastCheck.plus(wait));
    }

    private boolean waitNeeded(List<MsaJobRow> inFlight) {
        Duration left = untilNextCheck(inFlight);
        return !left.isNegative() && !left.isZero();
    }

    /** Work a killed or failed execution left: in-doubt submissions of ingested records, and files not yet written. */
    private List<CollectWork> leftoversOfEarlierExecutions(long runId) {
        List<CollectWork> work = new ArrayList<>();
        for (MsaJobRow j : ledger.jobsInState(runId, EnumSet.of(JobState.SUBMITTING))) {
            if (!ledger.recordsOfHash(runId, j.seqHash()).isEmpty()) {
                work.add(CollectWork.reconcile(j));
            }
        }
        work.addAll(strandedWork(ledger.endedJobsWithWaitingRecords(runId)));
        return work;
    }

    /** Records still waiting on a job that already ended: write their file (DONE) or give them its outcome. */
    private static List<CollectWork> strandedWork(List<MsaJobRow> ended) {
        return ended.stream().map(j -> j.state() == JobState.DONE ? CollectWork.write(j)
                : CollectWork.finalize(j, j.state(), j.error())).toList();
    }

    private List<CollectWork> checkStatuses(List<MsaJobRow> inFlight) {
        Map<String, Job> seen = new HashMap<>();
        if (inFlight.size() >= settings.listThreshold()) {
            Instant oldest = inFlight.stream().map(j -> j.submittedAt() != null ? j.submittedAt() : j.intentAt())
                    .filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(clock.instant());
            for (Job job : client.listJobs(new JobQuery(null, ALIGN_JOB_TYPE, oldest.minus(Duration.ofMinutes(5)), 1000))) {
                seen.put(job.jobId(), job);
            }
        }
        List<CollectWork> ready = new ArrayList<>();
        for (MsaJobRow row : inFlight) {
            Job job = seen.get(row.jobId());
            if (job == null) {
                try {
                    job = client.getJob(row.jobId());
                } catch (OpenProteinException e) {
                    if (e.status() == 404) {
                        ready.add(afterFailure(row, "job " + row.jobId() + " is unknown to the service (404)"));
                        continue;
                    }
                    throw e;
                }
            }
            if (job.status() == JobStatus.SUCCESS) {
                ready.add(CollectWork.write(row));
            } else if (job.status() == JobStatus.FAILURE) {
                String message = job.failureMessage() == null ? "job failed (no failure_message)" : job.failureMessage();
                ready.add(afterFailure(row, message));
            } else if (job.status() == JobStatus.CANCELED) {
                ready.add(CollectWork.finalize(row, JobState.CANCELED, "job " + row.jobId() + " was canceled on the service"));
            }
        }
        return ready;
    }

    private CollectWork afterFailure(MsaJobRow row, String message) {
        if (row.attempts() <= settings.resubmitFailed()) {
            log.info("Job {} failed ({}); submitting again (attempt {} of {})", row.jobId(), message, row.attempts() + 1,
                    settings.resubmitFailed() + 1);
            return CollectWork.resubmit(row, message);
        }
        return CollectWork.finalize(row, JobState.FAILED, message);
    }

    private boolean deadlinePassed() {
        return run.startedAt() != null && clock.instant().isAfter(run.startedAt().plus(settings.deadline()));
    }

    /** Waits grow with the age of the oldest job in flight (a fifth of it), bounded, with ±20% jitter. */
    Duration nextDelay(List<MsaJobRow> inFlight) {
        Instant now = clock.instant();
        long oldestAgeMs = inFlight.stream().map(MsaJobRow::submittedAt).filter(Objects::nonNull)
                .mapToLong(t -> Duration.between(t, now).toMillis()).max().orElse(0);
        long base = Math.max(settings.pollMin().toMillis(), Math.min(settings.pollMax().toMillis(), oldestAgeMs / 5));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(settings.pollMin().toMillis() / 2, (long) (base * jitter)));
    }
}
