package io.msabatch.poll;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import io.msabatch.run.ServiceWatch;
import io.msabatch.run.StopSignal;
import io.msabatch.submit.KnownJobs;
import io.msabatch.submit.Reconciler;
import io.msabatch.submit.SubmissionState;
import io.msabatch.submit.Submitter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Builds the polling step, {@code collectStep}: {@code collectReader} (batches of what the planner finds due) →
 * {@code collectProcessor} (downloads in parallel, sends, reconciles) → {@code collectWriter} (the ledger), one batch
 * per chunk. It runs beside the submit step, so files land while later seeds are still being sent.
 */
@Configuration(proxyBeanMethods = false)
public class CollectStepConfiguration {

    @Bean
    @StepScope
    CollectPlanner collectPlanner(RunLedger ledger, RunContext run, PipelineProperties settings,
                                  OpenProteinClient client, SubmissionState submission, StopSignal stop,
                                  ServiceWatch watch, Clock clock, io.msabatch.run.DiskWatch diskWatch) {
        JobWaiter waiter = new JobWaiter(client, clock, settings.pollMin(), settings.pollMax(), settings.listThreshold(),
                client.properties().visibilityGrace(), () -> ThreadLocalRandom.current().nextDouble(), run.deadline(),
                settings.deadline());
        return new CollectPlanner(ledger, run, settings, waiter, submission, stop, watch, clock, diskWatch);
    }

    @Bean
    @StepScope
    ItemReader<List<CollectWork>> collectReader(CollectPlanner collectPlanner) {
        return new CollectReader(collectPlanner);
    }

    @Bean
    @StepScope
    ItemProcessor<List<CollectWork>, List<CollectResult>> collectProcessor(OpenProteinClient client, Submitter submitter,
            Reconciler reconciler, RunLedger ledger, RunContext run, PipelineProperties settings,
            CollectPlanner collectPlanner, ServiceWatch watch, ExecutorService downloadPool, Clock clock,
            io.msabatch.submit.MsaMeter msaMeter) {
        return new CollectProcessor(client, submitter, reconciler, ledger, run, settings, collectPlanner, watch,
                downloadPool, clock, msaMeter);
    }

    @Bean
    @StepScope
    ItemWriter<List<CollectResult>> collectWriter(RunLedger ledger, CollectPlanner collectPlanner, KnownJobs known,
                                                  Clock clock) {
        return new CollectWriter(ledger, collectPlanner, known, clock);
    }

    /** Parallel downloads (daemon threads: they never keep the JVM alive). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService downloadPool(PipelineProperties settings) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(settings.downloadThreads(), r -> {
            Thread t = new Thread(r, "download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    public Step collectStep(JobRepository repository, PlatformTransactionManager tm,
                            ItemReader<List<CollectWork>> collectReader,
                            ItemProcessor<List<CollectWork>, List<CollectResult>> collectProcessor,
                            ItemWriter<List<CollectResult>> collectWriter, StopOnFailure stopOnFailure) {
        return new StepBuilder("collectStep", repository).<List<CollectWork>, List<CollectResult>>chunk(1)
                .transactionManager(tm)
                .reader(collectReader)
                .processor(collectProcessor)
                .writer(collectWriter)
                .listener(stopOnFailure)
                .build();
    }

    /** When collection ends without completing, nobody collects any more: submission must not wait for the window. */
    @Bean
    StopOnFailure stopOnFailure(org.springframework.beans.factory.ObjectProvider<StopSignal> stop) {
        return new StopOnFailure(stop);
    }

    static final class StopOnFailure implements StepExecutionListener {
        private final org.springframework.beans.factory.ObjectProvider<StopSignal> stop;

        StopOnFailure(org.springframework.beans.factory.ObjectProvider<StopSignal> stop) {
            this.stop = stop;
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
                stop.getObject().request("the collect step ended " + stepExecution.getStatus());
            }
            return null;
        }
    }
}
