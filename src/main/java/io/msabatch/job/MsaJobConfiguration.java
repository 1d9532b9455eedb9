package io.msabatch.job;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.input.SeedFileReader;
import io.msabatch.input.SeedReaders;
import io.msabatch.input.SeedValidator;
import io.msabatch.ledger.Ledger;
import io.msabatch.poll.AlignmentFilesProcessor;
import io.msabatch.poll.AlignmentFilesWriter;
import io.msabatch.poll.CollectResult;
import io.msabatch.poll.CollectWork;
import io.msabatch.poll.FinishedJobsReader;
import io.msabatch.report.ReportTasklet;
import io.msabatch.submit.CheckedSeed;
import io.msabatch.submit.CheckedSeedReader;
import io.msabatch.submit.IngestWriter;
import io.msabatch.submit.IngestedRecord;
import io.msabatch.submit.SeedSubmitProcessor;
import io.msabatch.submit.Submitter;
import java.time.Clock;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the nightly MSA job (wiring only; the parts live in their feature packages):
 * <pre>
 *   split ─┬─ submitStep:  checkedSeedReader → seedSubmitProcessor (pipeline.submit-threads) → ingestWriter
 *          └─ collectStep: finishedJobsReader → alignmentFilesProcessor → alignmentFilesWriter (one poll per chunk)
 *   then   reportStep (report.csv, rejects.csv)
 * </pre>
 * Both branches of the split run at once, so files land while later seeds are still being submitted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "msa-batch.command", havingValue = "run", matchIfMissing = true)
class MsaJobConfiguration {

    static final String JOB_NAME = "msaJob";

    @Bean
    SubmissionOutcome submissionOutcome(Ledger ledger, RunContext run) {
        return new SubmissionOutcome(ledger, run);
    }

    // destroyMethod = "": Spring must never close the reader behind the step's back (stack notes 3.3, pitfall 2)
    @Bean(destroyMethod = "")
    SeedFileReader seedsReader(PipelineProperties settings) {
        SeedFileReader reader = SeedReaders.open(settings.input().toAbsolutePath(), settings.format());
        reader.setName("seedsReader");
        return reader;
    }

    @Bean
    Step submitStep(JobRepository repository, PlatformTransactionManager tm, SeedFileReader seedsReader,
                    Submitter submitter, Ledger ledger, RunContext run, PipelineProperties settings, StopSignal stop,
                    SubmissionOutcome outcome, ThreadPoolTaskExecutor submitExecutor) {
        CheckedSeedReader reader = new CheckedSeedReader(seedsReader, new SeedValidator(settings.maxLength()), ledger,
                run, stop);
        return new StepBuilder("submitStep", repository).<CheckedSeed, IngestedRecord>chunk(settings.chunkSize())
                .transactionManager(tm)
                .reader(reader)
                .stream(seedsReader)
                .processor(new SeedSubmitProcessor(submitter, ledger, run, settings, stop))
                .taskExecutor(submitExecutor)
                .writer(new IngestWriter(ledger, run, settings))
                .listener(outcome)
                .build();
    }

    /** Submissions in parallel (the POSTs dominate); reading and recording stay on the step thread, in order. */
    @Bean
    ThreadPoolTaskExecutor submitExecutor(PipelineProperties settings) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(settings.submitThreads());
        executor.setMaxPoolSize(settings.submitThreads());
        executor.setThreadNamePrefix("submit-");
        executor.setDaemon(true);
        // on SIGTERM the context starts closing before GracefulStop asks the steps to stop: keep taking the
        // current chunk's work so that it commits instead of failing half-sent
        executor.setAcceptTasksAfterContextClose(true);
        return executor;
    }

    @Bean(destroyMethod = "destroy")
    AlignmentFilesProcessor alignmentFilesProcessor(OpenProteinClient client, Submitter submitter, Ledger ledger,
                                                    RunContext run, PipelineProperties settings) {
        return new AlignmentFilesProcessor(client, submitter, ledger, run, settings);
    }

    @Bean
    Step collectStep(JobRepository repository, PlatformTransactionManager tm, OpenProteinClient client, Ledger ledger,
                     RunContext run, PipelineProperties settings, StopSignal stop, SubmissionOutcome outcome,
                     AlignmentFilesProcessor processor, Clock clock) {
        FinishedJobsReader reader = new FinishedJobsReader(client, ledger, run, settings, stop, outcome::failed,
                outcome::completedHere, clock);
        return new StepBuilder("collectStep", repository).<List<CollectWork>, List<CollectResult>>chunk(1)
                .transactionManager(tm)
                .reader(reader)
                .processor(processor)
                .writer(new AlignmentFilesWriter(ledger, run))
                .listener(new StepExecutionListener() {
                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
                            stop.request(); // nobody collects any more: submission must not wait for the window
                        }
                        return null;
                    }
                })
                .build();
    }

    @Bean
    Step reportStep(JobRepository repository, PlatformTransactionManager tm, Ledger ledger, RunContext run) {
        return new StepBuilder("reportStep", repository).tasklet(new ReportTasklet(ledger, run), tm).build();
    }

    @Bean
    Job msaJob(JobRepository repository, Step submitStep, Step collectStep, Step reportStep, RunListener runListener) {
        Flow submit = new FlowBuilder<SimpleFlow>("submitFlow").start(submitStep).build();
        Flow collect = new FlowBuilder<SimpleFlow>("collectFlow").start(collectStep).build();
        Flow both = new FlowBuilder<SimpleFlow>("submitAndCollect")
                .split(new SimpleAsyncTaskExecutor("step-"))
                .add(submit, collect)
                .build();
        return new JobBuilder(JOB_NAME, repository)
                .listener(runListener)
                .start(both)
                .next(reportStep)
                .end()
                .build();
    }
}
