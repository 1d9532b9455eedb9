package io.msabatch.submit;

import io.msabatch.input.SeedRecord;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.Origin;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.InvalidMsaException;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
import io.msabatch.output.SafeNames;
import io.msabatch.output.WrittenFile;
import io.msabatch.run.RunContext;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Records a batch in the ledger, in the chunk's transaction (with Spring Batch's checkpoint): the fate of each
 * sequence (job ids of submissions, doubts, adopted and reused jobs) and one row per record with its file name.
 * File names are unique within a run ignoring case: the second id that maps to a taken name gets a numbered suffix.
 * A reused result whose earlier file is still valid is copied at once; otherwise the collect step downloads it.
 */
class IngestWriter implements ItemWriter<IngestBatch> {

    private static final Logger log = LoggerFactory.getLogger(IngestWriter.class);

    private final RunLedger ledger;
    private final RunContext run;
    private final OutputFormat format;
    private final KnownJobs known;
    private final boolean colabfoldHeader;

    private final MsaMeter meter;

    IngestWriter(RunLedger ledger, RunContext run, OutputFormat format, boolean colabfoldHeader, KnownJobs known,
                 MsaMeter meter) {
        this.meter = meter;
        this.colabfoldHeader = colabfoldHeader;
        this.ledger = ledger;
        this.run = run;
        this.format = format;
        this.known = known;
    }

    @Override
    public void write(Chunk<? extends IngestBatch> chunk) {
        for (IngestBatch batch : chunk) {
            write(batch);
        }
    }

    private void write(IngestBatch batch) {
        // only a job that records join can be finishing meanwhile (the collect step); a job this batch sent is still
        // SUBMITTING to every other transaction until this one commits, and an adopted or reused one is not yet a row
        ledger.lockJobs(batch.fates().entrySet().stream().filter(e -> e.getValue() instanceof IngestBatch.Joined)
                .map(Map.Entry::getKey).toList());
        Map<String, String> sequences = new HashMap<>();
        batch.seeds().stream().filter(CheckedSeed::accepted).forEach(s -> sequences.putIfAbsent(s.seqHash(), s.sequence()));
        List<RunLedger.Answer> answers = new ArrayList<>();
        Map<String, Origin> origins = new HashMap<>();
        Map<String, String> rejectedBy = new HashMap<>();
        batch.fates().forEach((hash, fate) -> {
            if (fate instanceof IngestBatch.Joined j) {
                origins.put(hash, j.job().origin());
            } else if (fate instanceof IngestBatch.Adopted a) {
                ledger.adopt(hash, sequences.get(hash), a.earlier(), Origin.ADOPTED);
                origins.put(hash, Origin.ADOPTED);
            } else if (fate instanceof IngestBatch.Reused r) {
                ledger.adopt(hash, sequences.get(hash), r.earlier(), Origin.REUSED);
                origins.put(hash, Origin.REUSED);
            } else if (fate instanceof IngestBatch.Sent s) {
                origins.put(hash, Origin.SUBMITTED);
                SendOutcome o = s.outcome();
                if (o instanceof SendOutcome.Sent ok) {
                    answers.add(Submitter.answer(hash, ok.job()));
                } else if (o instanceof SendOutcome.InDoubt d) {
                    ledger.inDoubt(hash, d.attemptedAt(), d.why());
                } else if (o instanceof SendOutcome.Unsent u) {
                    ledger.unsent(hash, u.why());
                } else if (o instanceof SendOutcome.Refused f) {
                    ledger.refused(hash, JobState.SUBMITTING, f.reason());
                    rejectedBy.put(hash, f.reason());
                }
            }
        });
        ledger.submitted(answers);

        Set<String> namesInBatch = new HashSet<>();
        List<String> wanted = new ArrayList<>();
        for (CheckedSeed s : batch.seeds()) {
            if (s.accepted()) {
                wanted.add(RunLedger.fileKey(SafeNames.of(s.record().id()) + "." + format.extension()));
            }
        }
        Set<String> taken = ledger.takenFileKeys(wanted);
        List<RecordRow> rows = new ArrayList<>(batch.seeds().size());
        Set<String> copiedAll = new HashSet<>();
        for (CheckedSeed s : batch.seeds()) {
            SeedRecord r = s.record();
            if (!s.accepted()) {
                rows.add(row(r, null, RecordState.REJECTED, null, null, null, s.rejectReason(), null, null));
                continue;
            }
            String hash = s.seqHash();
            IngestBatch.Fate fate = batch.fates().get(hash);
            if (fate instanceof IngestBatch.TooLate late) {
                rows.add(row(r, hash, RecordState.TIMED_OUT, null, null, null, late.reason(), s.warning(), null));
                continue;
            }
            if (rejectedBy.containsKey(hash)) {
                rows.add(row(r, hash, RecordState.REJECTED, null, null, null, rejectedBy.get(hash), s.warning(), null));
                continue;
            }
            String fileName = uniqueFileName(r.id(), taken, namesInBatch);
            if (fate instanceof IngestBatch.Reused reused && reused.file() != null) {
                WrittenFile copy = copy(reused, r.id(), s.sequence(), fileName);
                if (copy != null) {
                    rows.add(new RecordRow(run.runId(), r.recordNo(), r.line(), r.id(), hash, RecordState.SUCCESS,
                            reused.earlier().jobId(), 0, fileName, copy.sha256(), null, s.warning(), Origin.REUSED));
                    copiedAll.add(hash);
                    continue;
                }
            }
            rows.add(row(r, hash, RecordState.PENDING, null, fileName, null, null, s.warning(), origins.get(hash)));
        }
        ledger.join(rows);
        for (String hash : copiedAll) {
            ledger.finishIfWritten(hash); // every record copied: DONE without a download
            if (!ledger.isMeasured(hash)) {
                rows.stream().filter(r -> hash.equals(r.seqHash()) && r.state() == RecordState.SUCCESS).findFirst()
                        .map(r -> meter.measure(run.outputDir().resolve(r.fileName())))
                        .ifPresent(q -> ledger.measured(hash, q));
            }
        }
        known.recorded(answers.stream().map(RunLedger.Answer::jobId).toList());
    }

    private WrittenFile copy(IngestBatch.Reused reused, String id, String sequence, String fileName) {
        try {
            return MsaFiles.copyAs(reused.file(), id, sequence, run.outputDir().resolve(fileName), format, colabfoldHeader);
        } catch (InvalidMsaException | UncheckedIOException e) {
            log.warn("Could not reuse {} for '{}' ({}); its MSA will be downloaded", reused.file(), id, e.getMessage());
            return null;
        }
    }

    private RecordRow row(SeedRecord r, String hash, RecordState state, String jobId, String fileName, String checksum,
                          String error, String warning, Origin origin) {
        return new RecordRow(run.runId(), r.recordNo(), r.line(), r.id(), hash, state, jobId, 0, fileName, checksum, error,
                warning, origin);
    }

    private String uniqueFileName(String id, Set<String> taken, Set<String> namesInBatch) {
        String base = SafeNames.of(id);
        String ext = "." + format.extension();
        String name = base + ext;
        for (int n = 2; namesInBatch.contains(RunLedger.fileKey(name)) || taken.contains(RunLedger.fileKey(name))
                || (n > 2 && !ledger.takenFileKeys(List.of(RunLedger.fileKey(name))).isEmpty()); n++) {
            name = SafeNames.withSuffix(base, n) + ext;
        }
        namesInBatch.add(RunLedger.fileKey(name));
        return name;
    }
}
