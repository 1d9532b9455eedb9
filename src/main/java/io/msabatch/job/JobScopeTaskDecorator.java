package io.msabatch.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the job scope onto the threads of the split (Spring Batch keeps it in a thread-local of the job's thread),
 * so that the steps running beside each other see the same per-execution beans.
 */
final class JobScopeTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable task) {
        var context = JobSynchronizationManager.getContext();
        JobExecution execution = context == null ? null : context.getJobExecution();
        if (execution == null) {
            return task;
        }
        return () -> {
            JobSynchronizationManager.register(execution);
            try {
                task.run();
            } finally {
                JobSynchronizationManager.close(); // not release(): that would end the scope of the whole execution
            }
        };
    }
}
