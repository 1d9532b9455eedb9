package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.api.PermanentApiException;
import io.msabatch.job.PipelineProperties;
import io.msabatch.job.RunContext;
import io.msabatch.job.StopSignal;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.output.MsaFiles;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The design card's processor: submits an accepted record's sequence unless the sequence already has a job in this
 * run (identical sequences under different ids share one job, even when they meet on two threads at once). Waits
 * while {@code max-in-flight} jobs are unfinished. Rejected records pass through so the writer records them.
 * Thread-safe: the step runs it on {@code pipeline.submit-threads} threads.
 */
public class SeedSubmitProcessor implements ItemProcessor<CheckedSeed, IngestedRecord> {

    private final Submitter submitter;
    private final Ledger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final StopSignal stop;
    /** Sequences submitted by this step execution, including those whose chunk is not committed yet. */
    private final ConcurrentMap<String, CompletableFuture<Job>> submittedHere = new ConcurrentHashMap<>();
    private static final long WINDOW_RECHECK_NANOS = 100_000_000L;
    private final AtomicLong windowCount = new AtomicLong();
    private final AtomicLong windowCheckedAt = new AtomicLong(System.nanoTime() - WINDOW_RECHECK_NANOS);

    public SeedSubmitProcessor(Submitter submitter, Ledger ledger, RunContext run, PipelineProperties settings,
                               StopSignal stop) {
        this.submitter = submitter;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.stop = stop;
    }

    @Override
    public IngestedRecord process(CheckedSeed seed) {
        if (!seed.accepted()) {
            return IngestedRecord.rejected(seed.record(), seed.rejectReason());
        }
        long runId = run.runId();
        String hash = seed.seqHash();
        CompletableFuture<Job> here = submittedHere.get(hash);
        if (here == null) {
            Optional<MsaJobRow> known = ledger.findJob(runId, hash);
            if (known.isPresent() && (known.get().state() != JobState.SUBMITTING
                    || !ledger.recordsOfHash(runId, hash).isEmpty())) {
                // recorded by an earlier chunk (or being resubmitted by the collect step): share it
                return accepted(seed, null, known.get().jobId());
            }
            if (known.isEmpty() && settings.reuseMaxAge() != null) {
                Optional<Ledger.ReusableFile> earlier = reusable(runId, seed);
                if (earlier.isPresent()) {
                    return new IngestedRecord(seed.record(), seed.sequence(), hash, null, seed.warning(), null, null,
                            earlier.get());
                }
            }
            if (known.isEmpty()) {
                awaitWindow(runId);
                if (run.startedAt() != null && Instant.now().isAfter(run.startedAt().plus(settings.deadline()))) {
                    return IngestedRecord.notSentAfterDeadline(seed, IngestedRecord.NOT_SENT + "the run's deadline of "
                            + settings.deadline() + " had passed (setting pipeline.deadline)");
                }
            }
            // one submission per sequence, even when two threads hold records with the same sequence
            CompletableFuture<Job> mine = new CompletableFuture<>();
            here = submittedHere.putIfAbsent(hash, mine);
            if (here == null) {
                here = mine;
                try {
                    mine.complete(submitter.submit(runId, hash, seed.sequence()));
                } catch (PermanentApiException e) {
                    if (refusesSequence(e)) { // final: the intent must not be reconciled or sent again
                        ledger.transitionNow(runId, hash, JobState.SUBMITTING, JobState.FAILED, null,
                                "the service refused the sequence: " + e.detail());
                    } else {
                        submittedHere.remove(hash, mine);
                    }
                    mine.completeExceptionally(e);
                } catch (RuntimeException e) {
                    submittedHere.remove(hash, mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
        }
        try {
            return accepted(seed, here.join(), null);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof PermanentApiException refused && refusesSequence(refused)) {
                return IngestedRecord.rejected(seed.record(), "the service refused the sequence: " + refused.detail());
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** 400, 413, 422: this sequence is bad input for the service (other records are not affected). */
    public static boolean refusesSequence(PermanentApiException e) {
        return e.status() == 400 || e.status() == 413 || e.status() == 422;
    }

    private static IngestedRecord accepted(CheckedSeed seed, Job newJob, String sharedJobId) {
        return new IngestedRecord(seed.record(), seed.sequence(), seed.seqHash(), null, seed.warning(), newJob, sharedJobId,
                null);
    }

    /** A file an earlier run wrote for this sequence within pipeline.reuse-max-age, still there and still valid. */
    private Optional<Ledger.ReusableFile> reusable(long runId, CheckedSeed seed) {
        Instant since = Instant.now().minus(settings.reuseMaxAge());
        String extension = "." + settings.outputFormat().extension();
        return ledger.reusableFiles(runId, seed.seqHash(), since).stream()
                .filter(f -> f.path().getFileName().toString().endsWith(extension))
                .filter(f -> MsaFiles.verify(f.path(), seed.sequence(), settings.outputFormat()))
                .findFirst();
    }

    /**
     * Submission never runs more than max-in-flight recorded jobs ahead of collection, plus the chunk being submitted
     * (its job ids become visible to the collect step only when it commits, so counting them could wait forever).
     * The count is read from the ledger at most every 100 ms while the window is far from full.
     */
    private void awaitWindow(long runId) {
        long now = System.nanoTime();
        long seen = windowCount.get();
        if (now - windowCheckedAt.get() < WINDOW_RECHECK_NANOS && seen + 2L * settings.submitThreads() < settings.maxInFlight()) {
            windowCount.incrementAndGet();
            return;
        }
        int inFlight;
        while ((inFlight = ledger.countJobsInState(runId, java.util.EnumSet.of(JobState.SUBMITTED))) >= settings.maxInFlight()) {
            if (stop.sleep(settings.pollMin())) {
                // stopping (SIGTERM, or the collect step ended): roll this chunk back rather than send beyond the window
                throw new IllegalStateException("stop requested while waiting for the in-flight window");
            }
        }
        windowCount.set(inFlight + 1);
        windowCheckedAt.set(System.nanoTime());
    }
}
