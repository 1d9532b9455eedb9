package io.msabatch.submit;

import io.msabatch.input.SeedFileReader;
import io.msabatch.input.SeedRecord;
import io.msabatch.input.SeedValidator;
import io.msabatch.input.Validation;
import io.msabatch.job.RunContext;
import io.msabatch.job.StopSignal;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RecordRow;
import io.msabatch.output.MsaFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The submit step's reader: reads the input in order (the file reader keeps the checkpoint) and applies the checks
 * whose outcome depends on order, so that they stay deterministic while submission runs on several threads:
 * validation and "an id repeated with a different sequence" (the first occurrence wins). Ends the step as STOPPED
 * when a stop is requested. Used by the step thread only.
 */
public class CheckedSeedReader implements ItemReader<CheckedSeed> {

    private final SeedFileReader file;
    private final SeedValidator validator;
    private final Ledger ledger;
    private final RunContext run;
    private final StopSignal stop;
    /** Ids accepted by this execution: id → {hash, line}; earlier executions' are in the ledger. */
    private final Map<String, Object[]> acceptedIds = new HashMap<>();

    public CheckedSeedReader(SeedFileReader file, SeedValidator validator, Ledger ledger, RunContext run, StopSignal stop) {
        this.file = file;
        this.validator = validator;
        this.ledger = ledger;
        this.run = run;
        this.stop = stop;
    }

    @Override
    public CheckedSeed read() throws Exception {
        if (stop.stopCurrentStep()) {
            return null;
        }
        SeedRecord r = file.read();
        if (r == null) {
            return null;
        }
        Validation v = validator.validate(r);
        if (!v.accepted()) {
            return CheckedSeed.rejected(r, v.reason());
        }
        String hash = MsaFiles.sha256(v.sequence());
        String clash = repeatedIdWithOtherSequence(r, hash);
        if (clash != null) {
            return CheckedSeed.rejected(r, clash);
        }
        String warning = v.warnings() == null || v.warnings().isEmpty() ? null : String.join("; ", v.warnings());
        return new CheckedSeed(r, v.sequence(), hash, null, warning);
    }

    private String repeatedIdWithOtherSequence(SeedRecord r, String hash) {
        Object[] earlier = acceptedIds.get(r.id());
        if (earlier == null) {
            Optional<RecordRow> row = ledger.firstAcceptedWithId(run.runId(), r.id());
            if (row.isPresent()) {
                earlier = new Object[] {row.get().seqHash(), row.get().line()};
            }
        }
        if (earlier == null) {
            acceptedIds.put(r.id(), new Object[] {hash, r.line()});
            return null;
        }
        return earlier[0].equals(hash) ? null
                : "id '" + r.id() + "' was already used on line " + earlier[1] + " for a different sequence";
    }
}
