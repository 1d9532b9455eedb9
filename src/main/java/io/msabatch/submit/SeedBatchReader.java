package io.msabatch.submit;

import io.msabatch.input.SeedFileReader;
import io.msabatch.input.SeedRecord;
import io.msabatch.input.SeedValidator;
import io.msabatch.input.Validation;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.MsaFiles;
import io.msabatch.run.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The submit step's reader: reads the input in order, a batch at a time (one batch = one chunk = one transaction;
 * the file reader keeps the checkpoint), and applies the checks whose outcome depends on order: validation and "an id
 * repeated with a different sequence" (the first occurrence wins, earlier batches looked up in the ledger). Before a
 * batch it waits while {@code max-in-flight} jobs are unfinished, and it ends the step as STOPPED when a stop is
 * requested. Used by the step thread only.
 */
class SeedBatchReader implements ItemReader<List<CheckedSeed>> {

    private final SeedFileReader file;
    private final SeedValidator validator;
    private final RunLedger ledger;
    private final StopSignal stop;
    private final int batchSize;
    private final int maxInFlight;
    private final Duration pollMin;
    private final io.msabatch.run.DiskWatch disk;

    SeedBatchReader(SeedFileReader file, SeedValidator validator, RunLedger ledger, StopSignal stop, int batchSize,
                    int maxInFlight, Duration pollMin, io.msabatch.run.DiskWatch disk) {
        this.disk = disk;
        this.file = file;
        this.validator = validator;
        this.ledger = ledger;
        this.stop = stop;
        this.batchSize = Math.max(1, Math.min(batchSize, maxInFlight));
        this.maxInFlight = maxInFlight;
        this.pollMin = pollMin;
    }

    @Override
    public List<CheckedSeed> read() throws Exception {
        if (!awaitWindow()) {
            return null;
        }
        List<SeedRecord> records = new ArrayList<>(batchSize);
        for (SeedRecord r; records.size() < batchSize && (r = file.read()) != null; ) {
            records.add(r);
        }
        if (records.isEmpty()) {
            return null;
        }
        return check(records);
    }

    /**
     * Submission never runs more than max-in-flight recorded jobs ahead of collection (a batch is at most that big,
     * so an empty window always admits one). False when a stop was requested meanwhile.
     */
    private boolean awaitWindow() {
        while (true) {
            String full = disk.problem();
            if (full != null) {
                stop.requestFatal(full);
            }
            if (stop.stopCurrentStep()) {
                return false;
            }
            int inFlight = ledger.countIn(JobState.SUBMITTED);
            if (inFlight == 0 || inFlight + batchSize <= maxInFlight) {
                return true;
            }
            stop.sleep(pollMin);
        }
    }

    private List<CheckedSeed> check(List<SeedRecord> records) {
        List<CheckedSeed> checked = new ArrayList<>(records.size());
        List<Validation> verdicts = new ArrayList<>(records.size());
        List<String> ids = new ArrayList<>();
        for (SeedRecord r : records) {
            Validation v = validator.validate(r);
            verdicts.add(v);
            if (v.accepted()) {
                ids.add(r.id());
            }
        }
        Map<String, RecordRow> earlier = ids.isEmpty() ? Map.of() : ledger.firstAcceptedWithIds(ids);
        Map<String, String[]> inBatch = new HashMap<>(); // id → {hash, line}
        for (int i = 0; i < records.size(); i++) {
            SeedRecord r = records.get(i);
            Validation v = verdicts.get(i);
            if (!v.accepted()) {
                checked.add(CheckedSeed.rejected(r, v.reason()));
                continue;
            }
            String hash = MsaFiles.sha256(v.sequence());
            String[] first = inBatch.get(r.id());
            RecordRow before = earlier.get(r.id());
            if (before != null && (first == null || before.recordNo() < r.recordNo())) {
                first = new String[] {before.seqHash(), Long.toString(before.line())};
            }
            if (first == null) {
                inBatch.put(r.id(), new String[] {hash, Long.toString(r.line())});
            } else if (!first[0].equals(hash)) {
                checked.add(CheckedSeed.rejected(r, "id '" + r.id() + "' was already used on line " + first[1]
                        + " for a different sequence"));
                continue;
            }
            String warning = v.warnings().isEmpty() ? null : String.join("; ", v.warnings());
            checked.add(new CheckedSeed(r, v.sequence(), hash, null, warning));
        }
        return checked;
    }
}
