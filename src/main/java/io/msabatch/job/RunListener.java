package io.msabatch.job;

import io.msabatch.ledger.Ledger;
import io.msabatch.output.MsaFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Prepares each execution (ledger run row, output directory, removal of temporary files a killed run left) and
 * signals its end to {@link GracefulStop}.
 */
@Component
public class RunListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunListener.class);

    private final RunContext run;
    private final Ledger ledger;
    private final PipelineProperties settings;
    private final Path stateDir;
    private final Clock clock;
    private final CountDownLatch ended = new CountDownLatch(1);

    public RunListener(RunContext run, Ledger ledger, PipelineProperties settings,
                       @Value("${msa-batch.state-dir}") Path stateDir, Clock clock) {
        this.run = run;
        this.ledger = ledger;
        this.settings = settings;
        this.stateDir = stateDir;
        this.clock = clock;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        Path output = settings.output().toAbsolutePath();
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directory " + output, e);
        }
        long runId = execution.getJobInstance().getInstanceId();
        run.start(runId, output, stateDir, clock.instant());
        ledger.ensureRun(runId, settings.configName(), execution.getJobParameters().getString(PipelineRunner.RUN_DATE),
                output.toString());
        int removed = MsaFiles.cleanTemporaryFiles(output) + removeDownloads(stateDir.resolve("downloads"));
        if (removed > 0) {
            log.info("Removed {} temporary files left by an interrupted run in {}", removed, output);
        }
    }

    /** MSAs a killed run was downloading (they are fetched again). */
    private static int removeDownloads(Path downloads) {
        if (!Files.isDirectory(downloads)) {
            return 0;
        }
        try (var files = Files.list(downloads)) {
            int n = 0;
            for (Path f : files.toList()) {
                n += Files.deleteIfExists(f) ? 1 : 0;
            }
            return n;
        } catch (IOException e) {
            log.warn("Could not clean {}: {}", downloads, e.getMessage());
            return 0;
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        ended.countDown();
    }

    CountDownLatch ended() {
        return ended;
    }
}
