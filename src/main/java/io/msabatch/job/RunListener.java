package io.msabatch.job;

import io.msabatch.ledger.Ledger;
import io.msabatch.output.MsaFiles;
import io.msabatch.run.FatalException;
import io.msabatch.run.RunContext;
import io.msabatch.run.ServiceWatch;
import io.msabatch.run.StopSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Prepares each execution: creates its per-execution beans (stop signal, run context, service watch), the run's
 * ledger row, the output folder, and removes the temporary files a killed run left (only regular files this tool
 * names, inside its own folders, never following a link). Signals the end to {@link GracefulStop}.
 */
@Component
class RunListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunListener.class);

    private final ObjectProvider<RunContext> run;
    private final ObjectProvider<StopSignal> stop;
    private final ObjectProvider<ServiceWatch> watch;
    private final Ledger ledger;
    private final ActiveRun active;
    private final ObjectProvider<io.msabatch.api.OpenProteinClient> client;
    private final RunMetrics metrics;
    private final ObjectProvider<Progress> progress;

    RunListener(ObjectProvider<RunContext> run, ObjectProvider<StopSignal> stop, ObjectProvider<ServiceWatch> watch,
                Ledger ledger, ActiveRun active, ObjectProvider<io.msabatch.api.OpenProteinClient> client,
                RunMetrics metrics, ObjectProvider<Progress> progress) {
        this.progress = progress;
        this.client = client;
        this.metrics = metrics;
        this.run = run;
        this.stop = stop;
        this.watch = watch;
        this.ledger = ledger;
        this.active = active;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        stop.getObject(); // registers this execution's stop signal with ActiveRun
        RunContext r = run.getObject();
        watch.getObject();
        Path output = r.outputDir();
        try {
            Files.createDirectories(output);
            Files.createDirectories(r.downloads());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new FatalException(e.getFile() + " is in the way (not a folder); move it, or choose another output"
                    + " folder (--output) or state folder (pipeline.state-dir)", e);
        } catch (IOException e) {
            throw new FatalException("cannot create the output folder " + output + " (" + e.getMessage() + ")", e);
        }
        if (Files.isSymbolicLink(r.downloads()) || Files.isSymbolicLink(r.stateDir())) {
            throw new FatalException(r.downloads() + " or its state folder is a symbolic link; msa-batch writes and "
                    + "deletes there, so it must be a real folder: remove the link and run again");
        }
        var params = execution.getJobParameters();
        String expected = params.getString(RunIdentity.EXPECTED);
        ledger.ensureRun(r.runId(), r.pipeline(), r.runDate(), output.toString(), params.getString(RunIdentity.INPUT),
                params.getString(RunIdentity.INPUT_SHA256), expected == null || expected.isEmpty() ? null
                        : Long.valueOf(expected));
        int removed = MsaFiles.cleanTemporaryFiles(output) + removeDownloads(r.downloads());
        if (removed > 0) {
            log.info("Removed {} temporary files left by an interrupted run in {}", removed, output);
        }
        io.msabatch.api.OpenProteinClient c = client.getObject();
        c.addListener(metrics);
        progress.getObject(); // this execution's progress starts now
    }

    /** MSAs a killed run was downloading (they are fetched again); only regular files, only in a real folder. */
    private static int removeDownloads(Path downloads) {
        if (!Files.isDirectory(downloads, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (var files = Files.list(downloads)) {
            int n = 0;
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && f.getFileName().toString().endsWith(".partial")) {
                    n += Files.deleteIfExists(f) ? 1 : 0;
                }
            }
            return n;
        } catch (IOException e) {
            log.warn("Could not clean {}: {}", downloads, e.getMessage());
            return 0;
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        try {
            progress.getObject().close(); // the last reading, before the run's summary
        } catch (RuntimeException e) {
            log.debug("No last progress reading: {}", e.toString()); // the execution failed before it started
        } finally {
            active.ended();
        }
    }
}
