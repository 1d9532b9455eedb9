package io.msabatch.poll;

import io.msabatch.api.Job;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.submit.KnownJobs;
import io.msabatch.submit.Reconciler;
import io.msabatch.submit.SendOutcome;
import io.msabatch.submit.Submitter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Records what the collect step did, in the chunk's transaction: files written (records SUCCESS, the job DONE once no
 * record waits), downloads to try again, new job ids of submissions, reconciled doubts, endings copied to every record
 * of the sequence. Every change goes through {@link RunLedger}'s guarded transitions.
 */
class CollectWriter implements ItemWriter<List<CollectResult>> {

    private final RunLedger ledger;
    private final CollectPlanner planner;
    private final KnownJobs known;
    private final Clock clock;

    CollectWriter(RunLedger ledger, CollectPlanner planner, KnownJobs known, Clock clock) {
        this.ledger = ledger;
        this.planner = planner;
        this.known = known;
        this.clock = clock;
    }

    @Override
    public void write(Chunk<? extends List<CollectResult>> chunk) {
        List<String> hashes = new ArrayList<>();
        for (List<CollectResult> batch : chunk) {
            for (CollectResult r : batch) {
                hashes.addAll(hashesOf(r));
            }
        }
        ledger.lockJobs(hashes);
        // the chunk's written files and finished jobs go to the ledger in two JDBC batches, not two statements a job
        List<RunLedger.Written> written = new ArrayList<>();
        List<RunLedger.Finished> finished = new ArrayList<>();
        for (List<CollectResult> batch : chunk) {
            for (CollectResult r : batch) {
                if (r instanceof CollectResult.Written w) {
                    collect(w, written, finished);
                } else {
                    record(r);
                }
            }
        }
        ledger.written(written);
        // DONE, or SUCCEEDED when a record joined while the MSA was written (it is written next)
        ledger.finishWritten(finished);
        finished.forEach(f -> planner.succeeded(f.seqHash()));
    }

    private void collect(CollectResult.Written w, List<RunLedger.Written> written, List<RunLedger.Finished> finished) {
        MsaJobRow job = w.job();
        for (CollectResult.FileOutcome f : w.files()) {
            if (f.error() == null) {
                written.add(new RunLedger.Written(f.recordNo(), job.jobId(), job.submissions(), f.checksum()));
            } else {
                ledger.recordFailed(f.recordNo(), f.error());
            }
        }
        finished.add(new RunLedger.Finished(job.seqHash(), w.stats()));
    }

    private static List<String> hashesOf(CollectResult r) {
        if (r instanceof CollectResult.Written w) {
            return List.of(w.job().seqHash());
        }
        if (r instanceof CollectResult.NotFetched n) {
            return List.of(n.job().seqHash());
        }
        if (r instanceof CollectResult.Sent s) {
            return s.work().jobs().stream().map(MsaJobRow::seqHash).toList();
        }
        if (r instanceof CollectResult.Finished f) {
            return List.of(f.work().job().seqHash());
        }
        return List.of();
    }

    private void record(CollectResult result) {
        if (result instanceof CollectResult.NotFetched n) {
            ledger.succeeded(n.job().seqHash());
            if (n.last()) {
                ledger.end(n.job().seqHash(), JobState.SUCCEEDED, JobState.ERROR, n.why());
            } else {
                planner.downloadFailed(n.job().seqHash(), clock.instant(), n.counts());
            }
        } else if (result instanceof CollectResult.Sent s) {
            List<RunLedger.Answer> answers = new ArrayList<>();
            for (SendOutcome o : s.outcomes()) {
                if (o instanceof SendOutcome.Sent ok) {
                    answers.add(Submitter.answer(o.seqHash(), ok.job()));
                    planner.succeeded(o.seqHash());
                } else if (o instanceof SendOutcome.InDoubt d) {
                    ledger.inDoubt(o.seqHash(), d.attemptedAt(), d.why());
                } else if (o instanceof SendOutcome.Unsent u) {
                    ledger.unsent(o.seqHash(), u.why());
                } else if (o instanceof SendOutcome.Refused f) {
                    ledger.refused(o.seqHash(), JobState.SUBMITTING, f.reason());
                }
            }
            ledger.submitted(answers);
            known.recorded(answers.stream().map(RunLedger.Answer::jobId).toList());
        } else if (result instanceof CollectResult.Reconciled c) {
            Reconciler.Result r = c.result();
            for (Map.Entry<Reconciler.Doubt, Job> found : r.found().entrySet()) {
                Job job = found.getValue();
                ledger.submitted(List.of(Submitter.answer(found.getKey().seqHash(), job)));
            }
            for (Reconciler.Doubt d : r.absent()) {
                ledger.unsent(d.seqHash(), "the attempt at " + d.attemptedAt() + " created no job (reconciled)");
            }
        } else if (result instanceof CollectResult.Finished f) {
            ledger.end(f.work().job().seqHash(), f.work().from(), f.work().to(), f.work().message());
        }
    }
}
