package io.msabatch.job;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Wires the nightly MSA job from the steps the features build (wiring only):
 * <pre>
 *   reconcileStep (settle what a dead process left in doubt)
 *   split ─┬─ submitStep:  seedBatchReader → seedBatchProcessor → ingestWriter      (package submit)
 *          └─ collectStep: collectReader → collectProcessor → collectWriter          (package poll)
 *   reportStep (report.csv, rejects.csv)                                             (package report)
 * </pre>
 * Both branches of the split run at once, so files land while later seeds are still being submitted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "msa-batch.command", havingValue = "run", matchIfMissing = true)
class MsaJobConfiguration {

    static final String JOB_NAME = "msaJob";

    @Bean
    Job msaJob(JobRepository repository, Step reconcileStep, Step submitStep, Step collectStep, Step reportStep,
               RunListener runListener) {
        Flow submit = new FlowBuilder<SimpleFlow>("submitFlow").start(submitStep).build();
        Flow collect = new FlowBuilder<SimpleFlow>("collectFlow").start(collectStep).build();
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("step-");
        threads.setTaskDecorator(new JobScopeTaskDecorator());
        Flow both = new FlowBuilder<SimpleFlow>("submitAndCollect").split(threads).add(submit, collect).build();
        return new JobBuilder(JOB_NAME, repository)
                .listener(runListener)
                .flow(reconcileStep)
                .next(both)
                .next(reportStep)
                .end()
                .build();
    }
}
