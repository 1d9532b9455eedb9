package io.msabatch.report;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.PipelineProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import io.msabatch.run.RunContext;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Builds {@code reportStep}: the run's {@code report.csv} and {@code rejects.csv}. */
@Configuration(proxyBeanMethods = false)
public class ReportStepConfiguration {

    @Bean
    @StepScope
    Tasklet reportTasklet(RunLedger ledger, RunContext run, PipelineProperties settings,
                          ObjectProvider<OpenProteinClient> client, Clock clock) {
        return new ReportTasklet(ledger, run, settings, client, clock);
    }

    @Bean
    public Step reportStep(JobRepository repository, PlatformTransactionManager tm, Tasklet reportTasklet) {
        return new StepBuilder("reportStep", repository).tasklet(reportTasklet, tm).build();
    }
}
