package io.msabatch.submit;

import io.msabatch.job.PipelineProperties;
import io.msabatch.job.RunContext;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.SafeNames;
import io.msabatch.output.WrittenFile;
import java.util.HashSet;
import java.util.Set;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Records a chunk of ingested records in the ledger, in the chunk's transaction (with Spring Batch's checkpoint):
 * job ids of new submissions, and one row per record with its file name. File names are unique within a run: the
 * second id that maps to an existing name gets a numbered suffix.
 */
public class IngestWriter implements ItemWriter<IngestedRecord> {

    private final Ledger ledger;
    private final RunContext run;
    private final PipelineProperties settings;

    public IngestWriter(Ledger ledger, RunContext run, PipelineProperties settings) {
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
    }

    @Override
    public void write(Chunk<? extends IngestedRecord> chunk) {
        long runId = run.runId();
        Set<String> namesInChunk = new HashSet<>();
        ledger.lockJobs(runId, chunk.getItems().stream().filter(IngestedRecord::accepted).map(IngestedRecord::seqHash).toList());
        for (IngestedRecord item : chunk) {
            if (ledger.recordExists(runId, item.record().recordNo())) {
                continue;
            }
            if (!item.accepted()) {
                ledger.insertRecord(new RecordRow(runId, item.record().recordNo(), item.record().line(), item.record().id(),
                        null, RecordState.REJECTED, null, 0, null, null, item.rejectReason(), null));
                continue;
            }
            if (item.notSent()) {
                String fileName = uniqueFileName(runId, item.record().id(), namesInChunk);
                ledger.insertRecord(new RecordRow(runId, item.record().recordNo(), item.record().line(), item.record().id(),
                        item.seqHash(), RecordState.TIMED_OUT, null, 0, fileName, null, item.warning(), null));
                continue;
            }
            if (item.reused() != null) {
                String fileName = uniqueFileName(runId, item.record().id(), namesInChunk);
                WrittenFile copy = MsaFiles.copyAs(item.reused().path(), item.record().id(), item.sequence(),
                        run.outputDir().resolve(fileName), settings.outputFormat());
                String note = "MSA reused from " + item.reused().path() + " (pipeline.reuse-max-age)"
                        + (item.warning() == null ? "" : "; " + item.warning());
                ledger.insertRecord(new RecordRow(runId, item.record().recordNo(), item.record().line(), item.record().id(),
                        item.seqHash(), RecordState.SUCCESS, item.reused().jobId(), 0, fileName, copy.sha256(), null, note));
                continue;
            }
            String jobId = item.sharedJobId();
            if (item.newJob() != null) {
                jobId = item.newJob().jobId();
                ledger.recordSubmitted(runId, item.seqHash(), jobId, item.newJob().rawStatus());
            }
            MsaJobRow job = ledger.findJob(runId, item.seqHash()).orElse(null);
            int attempts = job == null ? 1 : job.attempts();
            if (job != null && job.state() == JobState.DONE) {
                // a late record with a sequence whose files are already written: reopen the job so the collect
                // step writes this record's file too (the others are verified, not rewritten)
                ledger.transition(runId, item.seqHash(), JobState.DONE, JobState.SUBMITTED, null, null);
            }
            // a record that joins a job which already ended badly takes its outcome
            RecordState state = job == null ? RecordState.ACCEPTED : switch (job.state()) {
                case FAILED -> RecordState.FAILURE;
                case TIMED_OUT -> RecordState.TIMED_OUT;
                case CANCELED -> RecordState.CANCELED;
                default -> RecordState.ACCEPTED;
            };
            String error = state == RecordState.ACCEPTED ? null : job.error();
            String fileName = uniqueFileName(runId, item.record().id(), namesInChunk);
            ledger.insertRecord(new RecordRow(runId, item.record().recordNo(), item.record().line(), item.record().id(),
                    item.seqHash(), state, jobId, attempts, fileName, null, error, item.warning()));
        }
    }

    private String uniqueFileName(long runId, String id, Set<String> namesInChunk) {
        String base = SafeNames.of(id);
        String ext = "." + settings.outputFormat().extension();
        String name = base + ext;
        for (int n = 2; namesInChunk.contains(name) || ledger.fileNameTaken(runId, name); n++) {
            name = SafeNames.withSuffix(base, n) + ext;
        }
        namesInChunk.add(name);
        return name;
    }
}
