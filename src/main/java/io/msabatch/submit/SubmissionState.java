package io.msabatch.submit;

import io.msabatch.ledger.RunLedger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * How submission ended, for the collect step running beside it: COMPLETED is recorded in the ledger (durable: a
 * resumed run whose submit step is already complete knows there is nothing more to wait for) and first in memory (so
 * that the collect step ends even if that write fails); a failure or stop is kept in memory so that the collect step
 * of this execution stops instead of waiting forever. One per job execution.
 */
public class SubmissionState implements StepExecutionListener {

    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final RunLedger ledger;

    public SubmissionState(RunLedger ledger) {
        this.ledger = ledger;
    }

    /** The submit step of this execution ended without completing. */
    public boolean failed() {
        return failed.get();
    }

    /** Every record of the input has been read and recorded (in this or an earlier execution). */
    public boolean done() {
        return completed.get() || ledger.submissionDone();
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && !stepExecution.isTerminateOnly()) {
            completed.set(true);
            ledger.markSubmissionDone();
        } else {
            failed.set(true);
        }
        return null;
    }
}
