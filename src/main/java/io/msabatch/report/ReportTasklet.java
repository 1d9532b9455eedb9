package io.msabatch.report;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.ledger.MsaStats;
import io.msabatch.ledger.RecordRow;
import io.msabatch.ledger.RecordState;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.ReportFiles;
import io.msabatch.quality.CoveragePicture;
import io.msabatch.report.html.HtmlReport;
import io.msabatch.report.html.MultiQcTable;
import io.msabatch.report.html.ReportRecord;
import io.msabatch.report.html.RunSummary;
import io.msabatch.run.PipelineProperties;
import io.msabatch.run.RunContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Last step: writes the run's reports from cursors over the ledger, in input order and constant memory:
 * {@code report.csv} and {@code rejects.csv} (moved into place together), {@code report.html} (summary, depth and
 * Neff distributions, every record, coverage pictures) and MultiQC's {@code msa-batch_mqc.tsv}.
 */
class ReportTasklet implements Tasklet {

    private final RunLedger ledger;
    private final RunContext run;
    private final PipelineProperties settings;
    private final ObjectProvider<OpenProteinClient> client;
    private final Clock clock;

    ReportTasklet(RunLedger ledger, RunContext run, PipelineProperties settings, ObjectProvider<OpenProteinClient> client,
                  Clock clock) {
        this.ledger = ledger;
        this.run = run;
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Instant now = clock.instant();
        Map<RecordState, Long> counts = new EnumMap<>(RecordState.class);
        ledger.countByState().forEach((state, n) -> {
            if (n > 0) {
                counts.put(state, n);
            }
        });
        OpenProteinClient c = client.getIfAvailable();
        RunSummary summary = new RunSummary(run.pipeline(), String.valueOf(
                chunkContext.getStepContext().getJobParameters().get("input")), settings.outputFormat().extension(),
                run.startedAt(), now, Duration.between(run.startedAt(), now), c == null ? null : c.requestCount(), counts,
                settings.shallowMsaNeff());
        // one walk over the ledger feeds all four files (each walk of a 100,000-record run cost seconds)
        try (ReportFiles.Writer out = ReportFiles.Writer.open(run.outputDir());
             HtmlReport.Page page = HtmlReport.open(run.outputDir(), summary, settings.reportMsaPictures());
             MultiQcTable.Table table = MultiQcTable.open(run.outputDir(), run.pipeline())) {
            ledger.forEachReportEntry(true, e -> {
                out.report(toReportRow(e.record(), e.stats()));
                if (e.record().state() == RecordState.REJECTED) {
                    out.reject(new ReportFiles.RejectRow(e.record().line(), e.record().seedId(), e.record().error()));
                }
                ReportRecord r = toRecord(e.record(), e.stats(), page.wantsPicture());
                page.add(r);
                table.add(r);
            });
            out.commit();
            page.commit();
            table.commit();
        }
        return RepeatStatus.FINISHED;
    }

    static ReportFiles.ReportRow toReportRow(RecordRow r, MsaStats q) {
        boolean ok = r.state() == RecordState.SUCCESS;
        return new ReportFiles.ReportRow(r.seedId(), r.state().name(), r.jobId(), ok ? r.fileName() : null, r.seqHash(),
                r.attempts(), ok ? null : r.error(), r.line(), origin(r), q == null ? null : q.sequences(),
                q == null ? null : q.neff(), q == null ? null : q.coverageMean(), q == null ? null : q.coverageMin(),
                q == null ? null : q.warning(), r.warning());
    }

    /** The record as the HTML page and MultiQC show it; its picture is parsed only when the page still wants one. */
    private static ReportRecord toRecord(RecordRow r, MsaStats q, boolean withPicture) {
        boolean ok = r.state() == RecordState.SUCCESS;
        String error = ok ? r.warning() : r.error();
        return new ReportRecord(r.line(), r.seedId(), r.state().name(), r.jobId(), ok ? r.fileName() : null, origin(r),
                q == null ? null : q.sequences(), q == null ? null : q.neff(), q == null ? null : q.neffEstimated(),
                q == null ? null : q.coverageMean(), q == null ? null : q.coverageMin(), q == null ? null : q.warning(),
                error, !withPicture || q == null || q.pictureJson() == null ? null : CoveragePicture.fromJson(q.pictureJson()));
    }

    private static String origin(RecordRow r) {
        return r.origin() == null || r.state() == RecordState.REJECTED ? null : r.origin().name();
    }
}
