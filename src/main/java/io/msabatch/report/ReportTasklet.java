package io.msabatch.report;

import io.msabatch.job.RunContext;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.output.ReportFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Last step: writes {@code report.csv} (one row per input record) and {@code rejects.csv} from the ledger, and puts
 * the counts by status into the job's execution context for the console summary and the exit code.
 */
public class ReportTasklet implements Tasklet {

    public static final String COUNTS_KEY = "msa-batch.counts";

    private final Ledger ledger;
    private final RunContext run;

    public ReportTasklet(Ledger ledger, RunContext run) {
        this.ledger = ledger;
        this.run = run;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long runId = run.runId();
        List<ReportFiles.ReportRow> rows = new ArrayList<>();
        List<ReportFiles.RejectRow> rejects = new ArrayList<>();
        ledger.forEachRecord(runId, r -> {
            rows.add(toReportRow(r));
            if (r.state() == RecordState.REJECTED) {
                rejects.add(new ReportFiles.RejectRow(r.line(), r.seedId(), r.error()));
            }
        });
        ReportFiles.writeReport(run.outputDir(), rows);
        ReportFiles.writeRejects(run.outputDir(), rejects);
        Map<String, Long> counts = ledger.countRecordsByState(runId);
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                .putString(COUNTS_KEY, counts.toString());
        return RepeatStatus.FINISHED;
    }

    static ReportFiles.ReportRow toReportRow(RecordRow r) {
        String status = r.state() == RecordState.ACCEPTED ? "PENDING" : r.state().name();
        String error = r.error();
        if (error == null && r.warning() != null) {
            error = "warning: " + r.warning();
        }
        return new ReportFiles.ReportRow(r.seedId(), status, r.jobId(), r.state() == RecordState.SUCCESS ? r.fileName() : null,
                r.seqHash(), r.attempts(), error, r.line());
    }
}
