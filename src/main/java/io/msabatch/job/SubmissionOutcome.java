package io.msabatch.job;

import io.msabatch.ledger.Ledger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Tells the collect step how submission ended: COMPLETED is recorded in the ledger (durable: a resumed run whose
 * submit step is already complete knows there is nothing more to wait for); a failure is kept in memory so that
 * the collect step of this execution stops instead of waiting forever.
 */
public class SubmissionOutcome implements StepExecutionListener {

    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Ledger ledger;
    private final RunContext run;

    public SubmissionOutcome(Ledger ledger, RunContext run) {
        this.ledger = ledger;
        this.run = run;
    }

    public boolean failed() {
        return failed.get();
    }

    /** Submission completed in this execution (the ledger flag covers earlier executions). */
    public boolean completedHere() {
        return completed.get();
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && !stepExecution.isTerminateOnly()) {
            completed.set(true); // first in memory: the collect step of this execution must end even if the write fails
            ledger.markSubmissionDone(run.runId());
        } else {
            failed.set(true);
        }
        return null;
    }
}
