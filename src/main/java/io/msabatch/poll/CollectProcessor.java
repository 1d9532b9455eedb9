package io.msabatch.poll;

import io.msabatch.api.AuthenticationException;
import io.msabatch.api.JobNotFoundException;
import io.msabatch.api.JobNotReadyException;
import io.msabatch.api.MsaDownload;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinException;
import io.msabatch.api.PermanentApiException;
import io.msabatch.api.TransientApiException;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.InvalidMsaException;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
import io.msabatch.output.WrittenFile;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import io.msabatch.run.ServiceWatch;
import io.msabatch.submit.Reconciler;
import io.msabatch.submit.Submitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Does one batch of the collect step's work, downloads in parallel ({@code pipeline.download-threads}): for a
 * succeeded job, fetches the MSA once (streamed to a file in the state folder) and writes one verified file per
 * waiting record, skipping records whose file this run already wrote and verified (a resumed run); sends sequences
 * again; reconciles doubts; passes endings through. A download that fails after the client's retries is a result
 * ("not fetched"), tried again later or, after {@code pipeline.download-attempts}, the records' ERROR: it never rolls
 * back the batch. Ledger changes are left to the writer.
 */
class CollectProcessor implements ItemProcessor<List<CollectWork>, List<CollectResult>> {

    private static final Logger log = LoggerFactory.getLogger(CollectProcessor.class);

    private final OpenProteinClient client;
    private final Submitter submitter;
    private final Reconciler reconciler;
    private final RunLedger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final CollectPlanner planner;
    private final ServiceWatch watch;
    private final ExecutorService pool;
    private final Clock clock;
    private final Instant runCreatedAt;
    private final io.msabatch.submit.MsaMeter meter;

    CollectProcessor(OpenProteinClient client, Submitter submitter, Reconciler reconciler, RunLedger ledger,
                     RunContext run, PipelineProperties settings, CollectPlanner planner, ServiceWatch watch,
                     ExecutorService pool, Clock clock, io.msabatch.submit.MsaMeter meter) {
        this.meter = meter;
        this.client = client;
        this.submitter = submitter;
        this.reconciler = reconciler;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.planner = planner;
        this.watch = watch;
        this.pool = pool;
        this.clock = clock;
        this.runCreatedAt = ledger.createdAt();
    }

    @Override
    public List<CollectResult> process(List<CollectWork> batch) throws Exception {
        List<Future<CollectResult>> futures = new ArrayList<>();
        List<CollectResult> results = new ArrayList<>(batch.size());
        // what the batch needs of the ledger, in one look-up each instead of one or two per job
        List<String> toWrite = new ArrayList<>();
        List<String> toSend = new ArrayList<>();
        for (CollectWork work : batch) {
            if (work instanceof CollectWork.Write w) {
                toWrite.add(w.job().seqHash());
            } else if (work instanceof CollectWork.Send s) {
                s.jobs().forEach(j -> toSend.add(j.seqHash()));
            }
        }
        List<String> needSequence = new ArrayList<>(toWrite);
        needSequence.addAll(toSend);
        Map<String, String> sequences = needSequence.isEmpty() ? Map.of() : ledger.sequencesOf(needSequence);
        Map<String, List<RecordRow>> waiting = toWrite.isEmpty() ? Map.of() : ledger.waitingRecords(toWrite);
        for (CollectWork work : batch) {
            if (work instanceof CollectWork.Write w) {
                // The planner is step-scoped (its proxy finds it through the step's thread) and not thread-safe: what
                // a download needs of it is read here, never on a download thread.
                String hash = w.job().seqHash();
                int failedBefore = planner.downloadFailures(hash);
                String sequence = sequences.get(hash);
                List<RecordRow> records = waiting.getOrDefault(hash, List.of());
                futures.add(pool.submit(() -> write(w.job(), sequence, records, failedBefore)));
            }
        }
        for (CollectWork work : batch) {
            if (work instanceof CollectWork.Send s) {
                results.add(send(s, sequences));
            } else if (work instanceof CollectWork.Reconcile r) {
                results.add(reconcile(r));
            } else if (work instanceof CollectWork.Finish f) {
                results.add(new CollectResult.Finished(f));
            }
        }
        for (Future<CollectResult> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return results;
    }

    private CollectResult send(CollectWork.Send s, Map<String, String> sequences) {
        List<RunLedger.Intent> intents = new ArrayList<>();
        for (MsaJobRow j : s.jobs()) {
            intents.add(new RunLedger.Intent(j.seqHash(), sequences.get(j.seqHash()), s.from()));
        }
        return new CollectResult.Sent(s, submitter.send(ledger, intents));
    }

    private CollectResult reconcile(CollectWork.Reconcile r) {
        List<Reconciler.Doubt> doubts = r.doubts().stream()
                .map(j -> new Reconciler.Doubt(j.runId(), j.seqHash(), j.intentAt() != null ? j.intentAt() : Instant.EPOCH))
                .toList();
        try {
            return new CollectResult.Reconciled(reconciler.reconcile(doubts));
        } catch (AuthenticationException e) {
            throw e;
        } catch (OpenProteinException e) {
            watch.failed(e);
            log.warn("Reconciliation failed ({}); trying again later", e.getMessage());
            return new CollectResult.Reconciled(new Reconciler.Result(java.util.Map.of(), List.of(), doubts));
        }
    }

    /**
     * {@code waiting}: the job's records still PENDING, in input order; {@code failedBefore}: how many of this
     * sequence's downloads failed before in this execution (counted ones).
     */
    private CollectResult write(MsaJobRow job, String sequence, List<RecordRow> waiting, int failedBefore) {
        List<CollectResult.FileOutcome> outcomes = new ArrayList<>();
        List<RecordRow> missing = new ArrayList<>();
        OutputFormat format = settings.outputFormat();
        for (RecordRow r : waiting) {
            if (r.fileName() == null) {
                continue;
            }
            Path target = run.outputDir().resolve(r.fileName());
            if (writtenByThisRun(target) && MsaFiles.verify(target, sequence, format)) {
                outcomes.add(new CollectResult.FileOutcome(r.recordNo(), MsaFiles.sha256(target), null));
            } else {
                missing.add(r);
            }
        }
        if (missing.isEmpty()) {
            return new CollectResult.Written(job, outcomes, null);
        }
        Path download = run.downloads().resolve(job.jobId() + ".msa.partial");
        MsaDownload msa = null;
        try {
            msa = client.downloadMsa(job.jobId(), download);
            for (RecordRow r : missing) {
                Path target = run.outputDir().resolve(r.fileName());
                try {
                    WrittenFile written = MsaFiles.write(msa::open, msa.format() == MsaDownload.Format.FASTA,
                            r.seedId(), sequence, target, format, settings.a3mColabfoldHeader());
                    outcomes.add(new CollectResult.FileOutcome(r.recordNo(), written.sha256(), null));
                } catch (InvalidMsaException e) {
                    outcomes.add(new CollectResult.FileOutcome(r.recordNo(), null,
                            "MSA of job " + job.jobId() + " failed verification: " + e.getMessage()));
                }
            }
            return new CollectResult.Written(job, outcomes, measureFirst(outcomes, missing));
        } catch (AuthenticationException e) {
            throw e;
        } catch (JobNotReadyException e) {
            return notFetched(job, "not ready although listed SUCCESS (status " + e.jobStatus() + ")", true, failedBefore);
        } catch (JobNotFoundException e) {
            Instant since = job.finishedAt() != null ? job.finishedAt() : clock.instant();
            boolean stillInGrace = Duration.between(since, clock.instant())
                    .compareTo(client.properties().resultGrace()) < 0;
            String why = "job " + job.jobId() + " reports SUCCESS but its MSA answered 404";
            if (stillInGrace) {
                return notFetched(job, why + " (not stored yet?)", false, failedBefore);
            }
            // The grace was the waiting: past it, the records are ERROR at once (README, openprotein.result-grace).
            return new CollectResult.NotFetched(job, why + " for " + client.properties().resultGrace().toSeconds()
                    + " s (setting openprotein.result-grace)", true, true);
        } catch (TransientApiException e) {
            watch.failed(e);
            return notFetched(job, "download of job " + job.jobId() + " failed: " + e.getMessage(), true, failedBefore);
        } catch (PermanentApiException e) {
            return notFetched(job, "download of job " + job.jobId() + " failed: " + e.getMessage(), true, failedBefore);
        } catch (OpenProteinException e) {
            return notFetched(job, "download of job " + job.jobId() + " failed: " + e.getMessage(), true, failedBefore);
        } finally {
            try {
                if (msa != null && msa.file() != null) {
                    Files.deleteIfExists(msa.file()); // a large answer was saved to a file (a small one is in memory)
                }
            } catch (IOException ignored) {
                // a leftover is removed when the next run starts
            }
        }
    }

    /** The quality of the job's MSA, from the first file just written (every record's file holds the same MSA). */
    private io.msabatch.ledger.MsaStats measureFirst(List<CollectResult.FileOutcome> outcomes, List<RecordRow> written) {
        for (RecordRow r : written) {
            boolean ok = outcomes.stream().anyMatch(o -> o.recordNo() == r.recordNo() && o.error() == null);
            if (ok) {
                return meter.measure(run.outputDir().resolve(r.fileName()));
            }
        }
        return null;
    }

    /** {@code counts}: whether this failure counts toward pipeline.download-attempts. */
    private CollectResult notFetched(MsaJobRow job, String why, boolean counts, int failedBefore) {
        int attempt = failedBefore + 1;
        boolean last = counts && attempt >= settings.downloadAttempts();
        if (!last) {
            log.warn("{}; trying again later", why);
        }
        return new CollectResult.NotFetched(job, counts ? why + " (" + attempt + " of " + settings.downloadAttempts()
                + " attempts, setting pipeline.download-attempts)" : why, last, counts);
    }

    /** A file left by an earlier night in the same folder is not this run's result, however valid it looks. */
    private boolean writtenByThisRun(Path file) {
        try {
            return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && !Files.getLastModifiedTime(file).toInstant().isBefore(runCreatedAt);
        } catch (IOException e) {
            return false;
        } catch (UncheckedIOException e) {
            return false;
        }
    }
}
