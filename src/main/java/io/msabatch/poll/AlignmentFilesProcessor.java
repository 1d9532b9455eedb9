package io.msabatch.poll;

import io.msabatch.api.JobNotReadyException;
import io.msabatch.api.PermanentApiException;
import io.msabatch.submit.SeedSubmitProcessor;
import io.msabatch.api.OpenProteinException;
import io.msabatch.job.PipelineProperties;
import io.msabatch.job.RunContext;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.output.InvalidMsaException;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.WrittenFile;
import io.msabatch.submit.Submitter;
import io.msabatch.api.OpenProteinClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.beans.factory.DisposableBean;

/**
 * Does the work of one batch of finished jobs, downloads in parallel ({@code pipeline.download-threads}): for a
 * SUCCESS job, fetches the MSA once (streamed to a temporary file) and writes one verified file per record that
 * shares the sequence, skipping records whose file is already there and valid (a resumed run); for a FAILURE within
 * budget, submits again; for an in-doubt submission, reconciles. Ledger changes are left to the writer.
 */
public class AlignmentFilesProcessor implements ItemProcessor<List<CollectWork>, List<CollectResult>>, DisposableBean {

    private final OpenProteinClient client;
    private final Submitter submitter;
    private final Ledger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final ExecutorService pool;

    public AlignmentFilesProcessor(OpenProteinClient client, Submitter submitter, Ledger ledger, RunContext run,
                                   PipelineProperties settings) {
        this.client = client;
        this.submitter = submitter;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.pool = Executors.newFixedThreadPool(settings.downloadThreads(), r -> {
            Thread t = new Thread(r, "download");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<CollectResult> process(List<CollectWork> batch) throws Exception {
        List<Future<CollectResult>> futures = new ArrayList<>();
        for (CollectWork work : batch) {
            futures.add(pool.submit(() -> handle(work)));
        }
        List<CollectResult> results = new ArrayList<>(futures.size());
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

    private CollectResult handle(CollectWork work) {
        long runId = run.runId();
        return switch (work.kind()) {
            case WRITE -> new CollectResult(work, writeFiles(runId, work), null, null);
            case RESUBMIT, RECONCILE -> {
                try {
                    yield new CollectResult(work, List.of(), work.kind() == CollectWork.Kind.RESUBMIT
                            ? submitter.resubmit(runId, work.job().seqHash(), work.job().sequence())
                            : submitter.submit(runId, work.job().seqHash(), work.job().sequence()), work.error());
                } catch (PermanentApiException e) {
                    if (!SeedSubmitProcessor.refusesSequence(e)) {
                        throw e;
                    }
                    yield new CollectResult(work, List.of(), null, "the service refused the sequence: " + e.detail());
                }
            }
            case FINALIZE -> new CollectResult(work, List.of(), null, work.error());
        };
    }

    private List<CollectResult.FileOutcome> writeFiles(long runId, CollectWork work) {
        String sequence = work.job().sequence();
        List<CollectResult.FileOutcome> outcomes = new ArrayList<>();
        List<RecordRow> missing = new ArrayList<>();
        for (RecordRow r : ledger.recordsOfHash(runId, work.job().seqHash())) {
            if (r.state() == RecordState.SUCCESS || r.fileName() == null) {
                continue;
            }
            Path target = run.outputDir().resolve(r.fileName());
            if (writtenByThisRun(target, runId) && MsaFiles.verify(target, sequence, settings.outputFormat())) {
                outcomes.add(new CollectResult.FileOutcome(r.recordNo(), MsaFiles.sha256(target), null));
            } else {
                missing.add(r);
            }
        }
        if (missing.isEmpty()) {
            return outcomes;
        }
        Path download = run.stateDir().resolve("downloads").resolve(work.job().jobId() + ".csv.partial");
        try {
            Files.createDirectories(download.getParent());
            client.downloadMsa(work.job().jobId(), download);
            for (RecordRow r : missing) {
                Path target = run.outputDir().resolve(r.fileName());
                try {
                    WrittenFile written = MsaFiles.write(download, r.seedId(), sequence, target, settings.outputFormat());
                    outcomes.add(new CollectResult.FileOutcome(r.recordNo(), written.sha256(), null));
                } catch (InvalidMsaException e) {
                    outcomes.add(new CollectResult.FileOutcome(r.recordNo(), null,
                            "MSA of job " + work.job().jobId() + " failed verification: " + e.getMessage()));
                }
            }
        } catch (JobNotReadyException e) {
            return null; // listed as SUCCESS but not downloadable yet: the next poll tries again
        } catch (OpenProteinException e) {
            if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
                missing.forEach(r -> outcomes.add(new CollectResult.FileOutcome(r.recordNo(), null,
                        "download of job " + work.job().jobId() + " failed: " + e.getMessage())));
            } else {
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(download);
            } catch (IOException ignored) {
                // a leftover is removed when the next run starts (RunListener)
            }
        }
        return outcomes;
    }

    /** A file left by an earlier night in the same folder is not this run's result, however valid it looks. */
    private boolean writtenByThisRun(Path file, long runId) {
        try {
            return Files.exists(file) && !Files.getLastModifiedTime(file).toInstant().isBefore(ledger.runCreatedAt(runId));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
