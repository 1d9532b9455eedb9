package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.input.SeedRecord;
import io.msabatch.input.SeedValidator;
import io.msabatch.input.Validation;
import io.msabatch.job.PipelineProperties;
import io.msabatch.job.RunContext;
import io.msabatch.job.StopSignal;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RecordRow;
import io.msabatch.output.MsaFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The design card's processor: validates a record, and submits its sequence unless the sequence already has a job
 * in this run (identical sequences under different ids share one job). Waits while {@code max-in-flight} jobs are
 * unfinished. Never returns null: rejected records travel on to the writer so that they are recorded too.
 * Used by one step thread at a time.
 */
public class SeedSubmitProcessor implements ItemProcessor<SeedRecord, IngestedRecord> {

    private final SeedValidator validator;
    private final Submitter submitter;
    private final Ledger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final StopSignal stop;
    /** Sequences submitted by this step execution, including those whose chunk is not committed yet. */
    private final Map<String, Job> submittedHere = new HashMap<>();
    /** Ids accepted by this step execution: id → sequence hash and line (earlier ones are in the ledger). */
    private final Map<String, long[]> lineOfId = new HashMap<>();
    private final Map<String, String> hashOfId = new HashMap<>();

    public SeedSubmitProcessor(SeedValidator validator, Submitter submitter, Ledger ledger, RunContext run,
                               PipelineProperties settings, StopSignal stop) {
        this.validator = validator;
        this.submitter = submitter;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.stop = stop;
    }

    @Override
    public IngestedRecord process(SeedRecord r) {
        Validation v = validator.validate(r);
        if (!v.accepted()) {
            return IngestedRecord.rejected(r, v.reason());
        }
        String warning = v.warnings() == null || v.warnings().isEmpty() ? null : String.join("; ", v.warnings());
        String hash = MsaFiles.sha256(v.sequence());
        String clash = repeatedIdWithOtherSequence(r, hash);
        if (clash != null) {
            return IngestedRecord.rejected(r, clash);
        }
        long runId = run.runId();
        Optional<MsaJobRow> known = ledger.findJob(runId, hash);
        Job here = submittedHere.get(hash);
        if (known.isPresent() && (known.get().state() != JobState.SUBMITTING
                || (here == null && !ledger.recordsOfHash(runId, hash).isEmpty()))) {
            // already recorded (or being resubmitted by the collect step): share it
            return new IngestedRecord(r, v.sequence(), hash, null, warning, null, known.get().jobId());
        }
        if (here != null) {
            return new IngestedRecord(r, v.sequence(), hash, null, warning, here, null);
        }
        if (known.isEmpty()) {
            awaitWindow(runId);
        }
        Job job = submitter.submit(runId, hash, v.sequence());
        submittedHere.put(hash, job);
        return new IngestedRecord(r, v.sequence(), hash, null, warning, job, null);
    }

    private String repeatedIdWithOtherSequence(SeedRecord r, String hash) {
        String earlierHash = hashOfId.get(r.id());
        long earlierLine = earlierHash == null ? -1 : lineOfId.get(r.id())[0];
        if (earlierHash == null) {
            Optional<RecordRow> earlier = ledger.firstAcceptedWithId(run.runId(), r.id());
            if (earlier.isPresent()) {
                earlierHash = earlier.get().seqHash();
                earlierLine = earlier.get().line();
            }
        }
        if (earlierHash == null) {
            hashOfId.put(r.id(), hash);
            lineOfId.put(r.id(), new long[] {r.line()});
            return null;
        }
        return earlierHash.equals(hash) ? null
                : "id '" + r.id() + "' was already used on line " + earlierLine + " for a different sequence";
    }

    /** Submission never runs more than max-in-flight jobs ahead of collection. */
    private void awaitWindow(long runId) {
        while (ledger.countJobsInState(runId, JobState.IN_FLIGHT) >= settings.maxInFlight()) {
            if (stop.sleep(settings.pollMin())) {
                return;
            }
        }
    }
}
