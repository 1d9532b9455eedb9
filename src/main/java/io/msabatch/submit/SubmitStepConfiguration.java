package io.msabatch.submit;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinProperties;
import io.msabatch.input.SeedFileReader;
import io.msabatch.input.SeedReaders;
import io.msabatch.input.SeedValidator;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.PerExecution;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import io.msabatch.run.StopSignal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Builds the steps of this feature: {@code reconcileStep} (settle what a dead process left in doubt) and
 * {@code submitStep} (reader, processor and writer: {@code seedBatchReader} →
 * {@code seedBatchProcessor} → {@code ingestWriter}, one batch of {@code pipeline.chunk-size} records per chunk).
 * Readers, processors and writers are scoped to their step execution; what one execution shares is job-scoped.
 */
@Configuration(proxyBeanMethods = false)
public class SubmitStepConfiguration {

    /** The job parameter holding the input file's absolute path. */
    public static final String INPUT_PARAMETER = "input";

    // destroyMethod = "": Spring must never close the reader behind the step's back (the step owns its stream)
    @Bean(destroyMethod = "")
    @StepScope
    SeedFileReader seedsReader(@Value("#{jobParameters['" + INPUT_PARAMETER + "']}") String input,
                               PipelineProperties settings) {
        return SeedReaders.open(Path.of(input), settings.format());
    }

    @Bean
    @StepScope
    ItemReader<List<CheckedSeed>> seedBatchReader(SeedFileReader seedsReader, RunLedger ledger, StopSignal stop,
                                                  PipelineProperties settings, io.msabatch.run.DiskWatch diskWatch) {
        return new SeedBatchReader(seedsReader, new SeedValidator(settings.maxLength()), ledger, stop,
                settings.chunkSize(), settings.maxInFlight(), settings.pollMin(), diskWatch);
    }

    @Bean
    @StepScope
    ItemProcessor<List<CheckedSeed>, IngestBatch> seedBatchProcessor(Submitter submitter, RunLedger ledger,
                                                                      RunContext run, PipelineProperties settings,
                                                                      Clock clock) {
        return new SeedBatchProcessor(submitter, ledger, run, settings, clock);
    }

    @Bean
    @StepScope
    ItemWriter<IngestBatch> ingestWriter(RunLedger ledger, RunContext run, PipelineProperties settings, KnownJobs known,
                                         MsaMeter msaMeter) {
        return new IngestWriter(ledger, run, settings.outputFormat(), settings.a3mColabfoldHeader(), known, msaMeter);
    }

    @Bean
    @PerExecution
    public SubmissionState submissionState(RunLedger ledger) {
        return new SubmissionState(ledger);
    }

    /** POSTs of a batch run in parallel on these threads (daemons: they never keep the JVM alive). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService submitPool(PipelineProperties settings) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(settings.submitThreads(), r -> {
            Thread t = new Thread(r, "submit-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    @PerExecution
    public Submitter submitter(OpenProteinClient client, KnownJobs known, ExecutorService submitPool, Clock clock) {
        return new Submitter(client, known, submitPool, clock);
    }

    @Bean
    @PerExecution
    public MsaMeter msaMeter(PipelineProperties settings, RunLedger ledger) {
        return new MsaMeter(settings.outputFormat(), settings.shallowMsaNeff(),
                settings.reportMsaPictures() - ledger.countPictures());
    }

    @Bean
    @PerExecution
    public KnownJobs knownJobs(Ledger ledger) {
        return new KnownJobs(ledger);
    }

    @Bean
    @PerExecution
    public Reconciler reconciler(OpenProteinClient client, KnownJobs known, Clock clock) {
        return new Reconciler(client, known, clock);
    }

    @Bean
    @StepScope
    Tasklet reconcileTasklet(Ledger ledger, RunContext run, Reconciler reconciler, StopSignal stop, Clock clock,
                             OpenProteinProperties client, PipelineProperties settings) {
        return new ReconcileTasklet(ledger, run.pipeline(), reconciler, stop, clock, client.visibilityGrace(),
                settings.giveUpAfter());
    }

    @Bean
    public Step reconcileStep(JobRepository repository, PlatformTransactionManager tm, Tasklet reconcileTasklet) {
        return new StepBuilder("reconcileStep", repository).tasklet(reconcileTasklet, tm)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    public Step submitStep(JobRepository repository, PlatformTransactionManager tm, SeedFileReader seedsReader,
                           ItemReader<List<CheckedSeed>> seedBatchReader,
                           ItemProcessor<List<CheckedSeed>, IngestBatch> seedBatchProcessor,
                           ItemWriter<IngestBatch> ingestWriter,
                           org.springframework.beans.factory.ObjectProvider<SubmissionState> submissionState) {
        return new StepBuilder("submitStep", repository).<List<CheckedSeed>, IngestBatch>chunk(1)
                .transactionManager(tm)
                .reader(seedBatchReader)
                .stream(seedsReader)
                .processor(seedBatchProcessor)
                .writer(ingestWriter)
                .listener(new org.springframework.batch.core.listener.StepExecutionListener() {
                    @Override
                    public org.springframework.batch.core.ExitStatus afterStep(
                            org.springframework.batch.core.step.StepExecution stepExecution) {
                        return submissionState.getObject().afterStep(stepExecution); // this execution's
                    }
                })
                .build();
    }
}
