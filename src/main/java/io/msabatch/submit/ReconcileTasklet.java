package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.api.TransientApiException;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.StopSignal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * First step of every execution: settles what a dead process of this pipeline left in doubt (write-ahead intents with
 * no recorded answer, uncertain answers), in any of its runs, before anything new is sent, so that no sequence is
 * paid twice. One reconciliation pass for all of them; doubts too young to conclude are passed again after the
 * visibility grace. Found jobs become SUBMITTED in their run (and are adopted by this one through the job cache);
 * the others become UNSENT (sent again when a run needs them).
 */
class ReconcileTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReconcileTasklet.class);

    private final Ledger ledger;
    private final String pipeline;
    private final Reconciler reconciler;
    private final StopSignal stop;
    private final Clock clock;
    private final Duration grace;
    private final Duration giveUpAfter;

    ReconcileTasklet(Ledger ledger, String pipeline, Reconciler reconciler, StopSignal stop, Clock clock, Duration grace,
                     Duration giveUpAfter) {
        this.giveUpAfter = giveUpAfter;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.reconciler = reconciler;
        this.stop = stop;
        this.clock = clock;
        this.grace = grace;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<Reconciler.Doubt> doubts = new ArrayList<>();
        for (MsaJobRow row : ledger.doubtsOf(pipeline)) {
            Instant at = row.intentAt() != null ? row.intentAt() : Instant.EPOCH;
            if (row.state() == JobState.SUBMITTING) {
                ledger.run(row.runId()).inDoubt(row.seqHash(), at, "left in doubt by a process that is gone");
            }
            doubts.add(new Reconciler.Doubt(row.runId(), row.seqHash(), at));
        }
        if (doubts.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        log.info("{} submissions were left in doubt by an earlier process; reconciling them before sending anything",
                doubts.size());
        Instant lastAnswer = clock.instant();
        while (!doubts.isEmpty() && !stop.isRequested()) {
            Reconciler.Result result;
            try {
                result = reconciler.reconcile(doubts);
                lastAnswer = clock.instant();
            } catch (TransientApiException e) {
                if (Duration.between(lastAnswer, clock.instant()).compareTo(giveUpAfter) > 0) {
                    throw e;
                }
                log.warn("Reconciliation could not list the service's jobs ({}); trying again in 10 s", e.getMessage());
                stop.sleep(Duration.ofSeconds(10));
                continue;
            }
            apply(result);
            doubts = result.open();
            if (!doubts.isEmpty()) {
                Instant youngest = doubts.stream().map(Reconciler.Doubt::attemptedAt).max(Instant::compareTo).orElseThrow();
                Duration wait = Duration.between(clock.instant(), youngest.plus(grace)).plusMillis(200);
                stop.sleep(wait.isNegative() ? Duration.ofSeconds(1) : wait);
            }
        }
        return RepeatStatus.FINISHED;
    }

    private void apply(Reconciler.Result result) {
        for (Map.Entry<Reconciler.Doubt, Job> found : result.found().entrySet()) {
            Reconciler.Doubt d = found.getKey();
            Job job = found.getValue();
            ledger.run(d.runId()).submitted(List.of(Submitter.answer(d.seqHash(), job)));
        }
        for (Reconciler.Doubt d : result.absent()) {
            ledger.run(d.runId()).unsent(d.seqHash(), "the attempt at " + d.attemptedAt() + " created no job (reconciled)");
        }
    }
}
