package io.msabatch.submit;

import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The submit step's processor, a batch at a time: for each distinct sequence of the batch it joins this run's job,
 * adopts an earlier run's job in flight, reuses an earlier run's result within {@code pipeline.reuse-max-age}, or
 * submits it (the batch's intents committed together before its POSTs). Nothing is sent after the run's deadline.
 * Used by the step thread only (the POSTs themselves run in parallel inside {@link Submitter}).
 */
class SeedBatchProcessor implements org.springframework.batch.infrastructure.item.ItemProcessor<List<CheckedSeed>, IngestBatch> {

    private final Submitter submitter;
    private final RunLedger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final Clock clock;

    SeedBatchProcessor(Submitter submitter, RunLedger ledger, RunContext run, PipelineProperties settings, Clock clock) {
        this.submitter = submitter;
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public IngestBatch process(List<CheckedSeed> seeds) {
        Map<String, String> sequences = new LinkedHashMap<>();
        for (CheckedSeed s : seeds) {
            if (s.accepted()) {
                sequences.putIfAbsent(s.seqHash(), s.sequence());
            }
        }
        Map<String, IngestBatch.Fate> fates = new HashMap<>();
        if (sequences.isEmpty()) {
            return new IngestBatch(seeds, fates);
        }
        Map<String, MsaJobRow> existing = ledger.jobs(sequences.keySet());
        existing.forEach((hash, job) -> fates.put(hash, new IngestBatch.Joined(job)));
        List<String> fresh = sequences.keySet().stream().filter(h -> !existing.containsKey(h)).toList();
        Instant now = clock.instant();
        if (settings.reuses() && !fresh.isEmpty()) {
            Instant since = now.minus(settings.reuseMaxAge());
            ledger.cached(fresh, since, since).forEach((hash, cached) -> fates.put(hash, cached.finished()
                    ? new IngestBatch.Reused(cached.job(), verifiedFile(cached.job(), sequences.get(hash)))
                    : new IngestBatch.Adopted(cached.job())));
        }
        List<RunLedger.Intent> intents = new ArrayList<>();
        for (String hash : fresh) {
            if (fates.containsKey(hash)) {
                continue;
            }
            if (run.pastDeadline(now)) {
                fates.put(hash, new IngestBatch.TooLate("not submitted: the run's deadline of " + settings.deadline()
                        + " had passed (setting pipeline.deadline)"));
            } else {
                intents.add(new RunLedger.Intent(hash, sequences.get(hash), null));
            }
        }
        for (SendOutcome o : submitter.send(ledger, intents)) {
            fates.put(o.seqHash(), new IngestBatch.Sent(o));
        }
        return new IngestBatch(seeds, fates);
    }

    /** A file an earlier run wrote for this job in this run's format, still there and still valid; or null. */
    private Path verifiedFile(MsaJobRow earlier, String sequence) {
        OutputFormat format = settings.outputFormat();
        String extension = "." + format.extension();
        for (Path p : ledger.filesOf(earlier.runId(), earlier.seqHash())) {
            if (p.getFileName().toString().endsWith(extension) && MsaFiles.verify(p, sequence, format)) {
                return p;
            }
        }
        return null;
    }
}
