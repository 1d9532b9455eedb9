package io.msabatch.job;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.PerExecution;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import io.msabatch.run.ServiceWatch;
import io.msabatch.run.StopSignal;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What lives for one job execution, built from its job parameters: the run's identity and folders, its ledger, its
 * stop signal and its watch on the service. Created when the execution starts (see {@link RunListener}).
 */
@Configuration(proxyBeanMethods = false)
class RunScopeConfiguration {

    @Bean
    @PerExecution
    RunContext runContext(@Value("#{jobExecution}") JobExecution execution, PipelineProperties settings,
                          @Value("${" + PipelineProperties.STATE_DIR_KEY + "}") Path stateDir, Clock clock) {
        var params = execution.getJobParameters();
        return RunContext.of(execution.getJobInstance().getInstanceId(), params.getString(RunIdentity.PIPELINE),
                params.getString(RunIdentity.RUN_DATE), Path.of(params.getString(RunIdentity.OUTPUT)), stateDir,
                clock.instant(), settings.deadline());
    }

    @Bean
    @PerExecution
    RunLedger runLedger(Ledger ledger, RunContext runContext) {
        return ledger.run(runContext.runId());
    }

    @Bean
    @PerExecution
    StopSignal stopSignal(ActiveRun active, OpenProteinClient client) {
        StopSignal signal = new StopSignal();
        active.started(signal);
        // a stop request also ends the client's retries: a stopping run does not wait out a service that is down
        client.stopRetryingOn(signal);
        return signal;
    }

    @Bean
    @PerExecution
    io.msabatch.run.DiskWatch diskWatch(RunContext runContext, PipelineProperties settings) {
        return new io.msabatch.run.DiskWatch(java.util.List.of(runContext.outputDir(), runContext.stateDir()),
                settings.minFreeSpace().toBytes());
    }

    /** The execution's progress line, bar and file; started with the execution, closed at its end. */
    @Bean
    @PerExecution
    Progress progress(RunLedger runLedger, RunContext runContext, OpenProteinClient client, RunMetrics metrics,
                      Clock clock, PipelineProperties settings, @Value("#{jobExecution}") JobExecution execution) {
        String n = execution.getJobParameters().getString(RunIdentity.EXPECTED);
        return new Progress(runLedger, runContext, client, metrics, clock, n == null || n.isEmpty() ? null : Long.valueOf(n),
                settings.progressInterval(), System.console() != null);
    }

    @Bean
    @PerExecution
    ServiceWatch serviceWatch(OpenProteinClient client, PipelineProperties settings, Clock clock) {
        ServiceWatch watch = new ServiceWatch(clock, settings.giveUpAfter());
        client.addListener(watch);
        watch.onClose(() -> client.removeListener(watch)); // closed by the job scope when the execution ends
        return watch;
    }
}
