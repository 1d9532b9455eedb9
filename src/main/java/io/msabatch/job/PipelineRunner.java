package io.msabatch.job;

import io.msabatch.api.AuthenticationException;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.input.InputFileException;
import io.msabatch.input.SeedReaders;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.Origin;
import io.msabatch.ledger.RecordState;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.ExitCodes;
import io.msabatch.run.FatalException;
import io.msabatch.run.PipelineProperties;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs one pipeline execution from the command line: works out the run's identity (pipeline, night, output, the
 * input's SHA-256), takes the database lock, recovers an execution a dead process left STARTED, does nothing for a
 * run that already completed (without starting the client or an embedded emulator), checks the login, starts (or
 * resumes) the job, prints the summary and returns the exit code. Also answers {@code msa-batch status}.
 */
@Component
public class PipelineRunner {

    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);
    /** The summary line in the log file (at DEBUG: the terminal has it from stdout already). */
    private static final Logger SUMMARY = LoggerFactory.getLogger("io.msabatch.trace.summary");

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final ObjectProvider<Job> job;
    private final Ledger ledger;
    private final PipelineProperties settings;
    private final ObjectProvider<OpenProteinClient> client;
    private final RunLock lock;
    private final ActiveRun active;
    private final RunMetrics metrics;
    private final Clock clock;
    private final PrintStream out = System.out;

    PipelineRunner(JobOperator jobOperator, JobRepository jobRepository, ObjectProvider<Job> job, Ledger ledger,
                   PipelineProperties settings, ObjectProvider<OpenProteinClient> client, RunLock lock,
                   ActiveRun active, RunMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.ledger = ledger;
        this.settings = settings;
        this.client = client;
        this.lock = lock;
        this.active = active;
        this.clock = clock;
    }

    public int run() throws Exception {
        Instant started = clock.instant();
        SeedReaders.check(settings.input().toAbsolutePath(), settings.format());
        RunIdentity identity = RunIdentity.of(settings, clock);
        lock.acquire(settings.name());
        recoverDeadExecutions();
        metrics.lastSucceededAt(ledger.lastFullSuccess(settings.name()));
        JobParameters params = identity.parameters();
        JobExecution last = jobRepository.getLastJobExecution(MsaJobConfiguration.JOB_NAME, params);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            long runId = last.getJobInstance().getInstanceId();
            out.printf("Run of pipeline '%s' for %s on this input already completed at %s; nothing to do (report: %s).%n"
                            + "An edited input is a new run; give --pipeline.run-date=YYYY-MM-DD for another night.%n",
                    settings.name(), identity.runDate(), last.getEndTime(),
                    identity.output().resolve("report.csv"));
            return exitCodeFor(ledger.run(runId).countByState());
        }
        if (last != null) {
            out.printf("Resuming run of pipeline '%s' for %s (last execution %s).%n", settings.name(),
                    identity.runDate(), last.getStatus());
        } else {
            sayWhyNew(identity);
        }
        OpenProteinClient c = client.getObject();
        c.checkLogin();
        // the shutdown hook waits for this too: Spring Batch records the execution's end after its listeners have run
        active.launching();
        try {
            JobExecution execution = jobOperator.start(job.getObject(), params);
            long requests = c.requestCount();
            Duration elapsed = Duration.between(started, clock.instant());
            RunLedger run = ledger.run(execution.getJobInstance().getInstanceId());
            endMetrics(execution, run, elapsed);
            FatalException fatal = fatalCause(execution);
            if (fatal != null) {
                throw fatal; // bad input found mid-stream, refused credentials: not a resumable stop
            }
            return switch (execution.getStatus()) {
                case COMPLETED -> {
                    Map<RecordState, Long> counts = run.countByState();
                    int code = exitCodeFor(counts);
                    printSummary(identity, counts, run.countByOrigin(), elapsed, requests, code);
                    yield code;
                }
                case STOPPED, STOPPING -> {
                    String reason = active.stopReason();
                    if (active.stopWasFatal()) {
                        throw new FatalException(reason);
                    }
                    boolean signalled = reason == null || reason.equals(GracefulStop.SIGNALLED);
                    String line = String.format("msa-batch: stopped after %s%s; state is recorded. Run the same command again"
                            + " to resume%s.", human(elapsed), signalled ? "" : ": " + reason,
                            signalled ? "" : io.msabatch.run.Traces.where().replace("full trace in", "every failed call in"));
                    out.println(line);
                    SUMMARY.debug("{}", line);
                    yield ExitCodes.STOPPED;
                }
                default -> throw failure(execution, elapsed);
            };
        } finally {
            active.returned();
        }
    }

    /** The run's duration and outcome into the meters, and the textfile for node-exporter when asked for. */
    private void endMetrics(JobExecution execution, RunLedger run, Duration elapsed) {
        boolean everyFile = execution.getStatus() == BatchStatus.COMPLETED
                && exitCodeFor(run.countByState()) == ExitCodes.OK;
        metrics.finished(elapsed, everyFile);
        if (settings.metricsTextfile() != null) {
            try {
                metrics.writeTextfile(settings.metricsTextfile().toAbsolutePath());
            } catch (RuntimeException e) {
                log.warn("{}", e.getMessage());
            }
        }
    }

    /** A cause that no resume can mend as it is (bad input, refused login), as one line; else null. */
    private static FatalException fatalCause(JobExecution execution) {
        for (Throwable t : execution.getAllFailureExceptions()) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof InputFileException || c instanceof AuthenticationException || c instanceof FatalException) {
                    io.msabatch.run.Traces.keep("the run stopped", t);
                    return new FatalException(c.getMessage() + (c instanceof InputFileException
                            ? " (the jobs already submitted are kept for the next run)" : ""), t);
                }
            }
        }
        return null;
    }

    /** A failed execution as one line, resumable. */
    private FatalException failure(JobExecution execution, Duration elapsed) {
        List<Throwable> failures = execution.getAllFailureExceptions();
        String cause = failures.isEmpty() ? execution.getExitStatus().getExitDescription() : rootMessage(failures.get(0));
        failures.forEach(t -> io.msabatch.run.Traces.keep("the run failed", t));
        return new FatalException("run failed after " + human(elapsed) + ": " + cause
                + ". Nothing is lost: run the same command again to resume" + io.msabatch.run.Traces.where() + ".",
                failures.isEmpty() ? null : failures.get(0));
    }

    /** A first execution for this night: say whether it follows an earlier run of the night on another input. */
    private void sayWhyNew(RunIdentity identity) {
        for (Ledger.RunInfo r : ledger.runsOf(identity.pipeline())) {
            if (r.runDate().equals(identity.runDate()) && r.outputDir().equals(identity.output().toString())
                    && r.inputSha256() != null && !r.inputSha256().equals(identity.inputSha256())) {
                out.printf("The input changed since run %d of pipeline '%s' for %s: this is a new run; sequences "
                        + "already computed are reused, only new ones are submitted.%n", r.runId(), identity.pipeline(),
                        identity.runDate());
                return;
            }
        }
    }

    private void recoverDeadExecutions() {
        Set<JobExecution> running = jobRepository.findRunningJobExecutions(MsaJobConfiguration.JOB_NAME);
        for (JobExecution e : running) {
            if (!settings.name().equals(e.getJobParameters().getString(RunIdentity.PIPELINE))) {
                continue; // another pipeline sharing this database: not ours to recover
            }
            BatchStatus was = e.getStatus();
            jobOperator.recover(e);
            log.warn("Recovered execution {} (run {}), left {} by a process that is gone (killed?); resuming it",
                    e.getId(), e.getJobParameters().getString(RunIdentity.RUN_DATE), was);
        }
    }

    private static int exitCodeFor(Map<RecordState, Long> counts) {
        long notSuccess = counts.entrySet().stream().filter(e -> e.getKey() != RecordState.SUCCESS)
                .mapToLong(Map.Entry::getValue).sum();
        return notSuccess == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private void printSummary(RunIdentity identity, Map<RecordState, Long> counts, Map<Origin, Long> origins,
                              Duration elapsed, long requests, int code) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String states = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String line = String.format("msa-batch: pipeline '%s' finished in %s: %d records (%s): %d submitted, %d adopted, "
                        + "%d reused; %d HTTP requests; output in %s", settings.name(), human(elapsed), total, states,
                origins.get(Origin.SUBMITTED), origins.get(Origin.ADOPTED), origins.get(Origin.REUSED), requests,
                identity.output());
        out.println(line);
        SUMMARY.debug("{}", line); // the log file keeps it too (not shown twice on the terminal)
        if (code != ExitCodes.OK) {
            out.printf("Some records have no file: see %s and %s%n", identity.output().resolve("report.csv"),
                    identity.output().resolve("rejects.csv"));
        }
    }

    /** Prints the latest runs of this pipeline and the latest run's records by state. */
    public int status() {
        List<Ledger.RunInfo> runs = ledger.runsOf(settings.name());
        out.printf("Pipeline '%s' (output %s)%n", settings.name(), settings.output().toAbsolutePath());
        if (runs.isEmpty()) {
            out.println("No runs recorded yet.");
            return ExitCodes.OK;
        }
        out.printf("%-6s %-11s %-10s %-20s %-20s %s%n", "RUN", "DATE", "STATUS", "STARTED", "ENDED", "INPUT");
        int shown = 0;
        for (Ledger.RunInfo r : runs) {
            JobInstance instance = jobRepository.getJobInstance(r.runId());
            JobExecution lastExecution = instance == null ? null : jobRepository.getLastJobExecution(instance);
            out.printf("%-6d %-11s %-10s %-20s %-20s %s%n", r.runId(), r.runDate(),
                    lastExecution == null ? "?" : lastExecution.getStatus(),
                    lastExecution == null ? "" : shortTime(lastExecution.getStartTime()),
                    lastExecution == null ? "" : shortTime(lastExecution.getEndTime()), r.inputPath());
            if (++shown == 10) {
                break;
            }
        }
        Ledger.RunInfo latest = runs.get(0);
        Map<RecordState, Long> counts = ledger.run(latest.runId()).countByState();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        out.printf("Records of run %d by state (%d of %s expected):%n", latest.runId(), total,
                latest.expectedRecords() == null ? "?" : latest.expectedRecords().toString());
        counts.forEach((k, v) -> {
            if (v > 0) {
                out.printf("  %-10s %8d  %5.1f%%  %s%n", k, v, total == 0 ? 0.0 : 100.0 * v / total, MEANING.get(k));
            }
        });
        return ExitCodes.OK;
    }

    /** What each state means, as README's "status" section says. */
    static final Map<RecordState, String> MEANING = Map.of(
            RecordState.PENDING, "waiting for its job (submitted, running, or to be downloaded)",
            RecordState.SUCCESS, "file written and verified",
            RecordState.REJECTED, "bad input, never sent (rejects.csv says why)",
            RecordState.FAILURE, "the job failed after its resubmissions",
            RecordState.TIMED_OUT, "unfinished at pipeline.deadline",
            RecordState.CANCELED, "the job was canceled on the service",
            RecordState.ERROR, "the MSA could not be fetched or verified");

    private static String shortTime(Object t) {
        return t == null ? "" : t.toString().replace('T', ' ').replaceAll("\\.\\d+$", "");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? String.format("%.1f s", d.toMillis() / 1000.0) : String.format("%d min %d s", s / 60, s % 60);
    }
}
