package io.msabatch.report;

import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.ReportFiles;
import io.msabatch.run.RunContext;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Last step: writes {@code report.csv} (one row per input record, in input order) and {@code rejects.csv} from a
 * cursor over the ledger, in constant memory, both moved into place together.
 */
class ReportTasklet implements Tasklet {

    private final RunLedger ledger;
    private final RunContext run;

    ReportTasklet(RunLedger ledger, RunContext run) {
        this.ledger = ledger;
        this.run = run;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        try (ReportFiles.Writer out = ReportFiles.Writer.open(run.outputDir())) {
            ledger.forEachRecord(r -> {
                out.report(toReportRow(r));
                if (r.state() == RecordState.REJECTED) {
                    out.reject(new ReportFiles.RejectRow(r.line(), r.seedId(), r.error()));
                }
            });
            out.commit();
        }
        return RepeatStatus.FINISHED;
    }

    static ReportFiles.ReportRow toReportRow(RecordRow r) {
        boolean ok = r.state() == RecordState.SUCCESS;
        return new ReportFiles.ReportRow(r.seedId(), r.state().name(), r.jobId(), ok ? r.fileName() : null, r.seqHash(),
                r.attempts(), ok ? null : r.error(), r.line(),
                r.origin() == null || r.state() == RecordState.REJECTED ? null : r.origin().name(),
                null, null, null, null, null, r.warning());
    }
}
