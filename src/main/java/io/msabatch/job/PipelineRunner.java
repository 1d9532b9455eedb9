package io.msabatch.job;

import io.msabatch.FatalException;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.cli.ExitCodes;
import io.msabatch.input.SeedReaders;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RecordState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs one pipeline execution from the command line: checks the input, recovers an execution a dead process left
 * STARTED, skips a night that already completed, starts (or resumes) the job, prints the summary and returns the
 * exit code. Also answers {@code msa-batch status}.
 */
@Component
public class PipelineRunner {

    public static final String PIPELINE = "pipeline";
    public static final String RUN_DATE = "run.date";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final ObjectProvider<Job> job;
    private final Ledger ledger;
    private final PipelineProperties settings;
    private final ObjectProvider<OpenProteinClient> client;
    private final RunLock lock;
    private final Clock clock;
    private volatile boolean jobRunning;
    private final PrintStream out = System.out;

    public PipelineRunner(JobOperator jobOperator, JobRepository jobRepository, ObjectProvider<Job> job, Ledger ledger,
                          PipelineProperties settings, ObjectProvider<OpenProteinClient> client, RunLock lock, Clock clock) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.ledger = ledger;
        this.settings = settings;
        this.client = client;
        this.lock = lock;
        this.clock = clock;
    }

    boolean jobRunning() {
        return jobRunning;
    }

    public int run() throws Exception {
        Instant started = clock.instant();
        SeedReaders.check(settings.input().toAbsolutePath(), settings.format());
        lock.acquire(settings.configName());
        recoverDeadExecutions();
        JobParameters params = parameters();
        JobExecution last = jobRepository.getLastJobExecution(MsaJobConfiguration.JOB_NAME, params);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            out.printf("Run of pipeline '%s' for %s already completed at %s; nothing to do (report: %s).%n"
                            + "Give --pipeline.run-date=YYYY-MM-DD for another night.%n",
                    settings.configName(), params.getString(RUN_DATE), last.getEndTime(),
                    settings.output().toAbsolutePath().resolve("report.csv"));
            return exitCodeFor(last.getJobInstance().getInstanceId());
        }
        if (last != null) {
            out.printf("Resuming run of pipeline '%s' for %s (last execution %s).%n", settings.configName(),
                    params.getString(RUN_DATE), last.getStatus());
        }
        jobRunning = true;
        JobExecution execution;
        try {
            execution = jobOperator.start(job.getObject(), params);
        } finally {
            jobRunning = false;
        }
        long requests = client.getObject().requestCount();
        Duration elapsed = Duration.between(started, clock.instant());
        long runId = execution.getJobInstance().getInstanceId();
        return switch (execution.getStatus()) {
            case COMPLETED -> {
                int code = exitCodeFor(runId);
                printSummary(runId, elapsed, requests, code);
                yield code;
            }
            case STOPPED, STOPPING -> {
                out.printf("Stopped after %s; state is recorded. Run the same command again to resume.%n", human(elapsed));
                yield ExitCodes.STOPPED;
            }
            default -> {
                List<Throwable> failures = execution.getAllFailureExceptions();
                String cause = failures.isEmpty() ? execution.getExitStatus().getExitDescription() : rootMessage(failures.get(0));
                throw new FatalException("run failed after " + human(elapsed) + ": " + cause
                        + ". Nothing is lost: run the same command again to resume.");
            }
        };
    }

    private void recoverDeadExecutions() {
        Set<JobExecution> running = jobRepository.findRunningJobExecutions(MsaJobConfiguration.JOB_NAME);
        for (JobExecution e : running) {
            if (!settings.configName().equals(e.getJobParameters().getString(PIPELINE))) {
                continue;
            }
            BatchStatus was = e.getStatus();
            jobOperator.recover(e);
            log.warn("Recovered execution {} (run {}), left {} by a process that is gone (killed?); resuming it",
                    e.getId(), e.getJobParameters().getString(RUN_DATE), was);
        }
    }

    JobParameters parameters() {
        String runDate = settings.runDate() == null || settings.runDate().isBlank()
                ? LocalDate.now(clock.withZone(ZoneId.systemDefault())).toString()
                : LocalDate.parse(settings.runDate()).toString();
        return new JobParametersBuilder()
                .addString(PIPELINE, settings.configName())
                .addString(RUN_DATE, runDate)
                .addString(INPUT, settings.input().toAbsolutePath().normalize().toString())
                .addString(OUTPUT, settings.output().toAbsolutePath().normalize().toString())
                .toJobParameters();
    }

    private int exitCodeFor(long runId) {
        Map<String, Long> counts = ledger.countRecordsByState(runId);
        long notSuccess = counts.entrySet().stream().filter(e -> !e.getKey().equals(RecordState.SUCCESS.name()))
                .mapToLong(Map.Entry::getValue).sum();
        return notSuccess == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private void printSummary(long runId, Duration elapsed, long requests, int code) {
        Map<String, Long> counts = ledger.countRecordsByState(runId);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        out.printf("msa-batch: pipeline '%s' finished in %s: %d records (%s); %d HTTP requests; output in %s%n",
                settings.configName(), human(elapsed), total, sb, requests, settings.output().toAbsolutePath());
        if (code != ExitCodes.OK) {
            out.printf("Some records have no file: see %s and %s%n", settings.output().toAbsolutePath().resolve("report.csv"),
                    settings.output().toAbsolutePath().resolve("rejects.csv"));
        }
    }

    /** Prints the latest runs of this pipeline and the latest run's records by state. */
    public int status() {
        List<JobInstance> instances = jobRepository.getJobInstances(MsaJobConfiguration.JOB_NAME, 0, 200);
        int shown = 0;
        JobInstance latest = null;
        out.printf("Pipeline '%s' (output %s)%n", settings.configName(), settings.output().toAbsolutePath());
        out.printf("%-8s %-12s %-10s %-26s %-26s %s%n", "RUN", "DATE", "STATUS", "STARTED", "ENDED", "INPUT");
        for (JobInstance instance : instances) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || !settings.configName().equals(last.getJobParameters().getString(PIPELINE))) {
                continue;
            }
            if (latest == null) {
                latest = instance;
            }
            out.printf("%-8d %-12s %-10s %-26s %-26s %s%n", instance.getInstanceId(), last.getJobParameters().getString(RUN_DATE),
                    last.getStatus(), last.getStartTime(), last.getEndTime(), last.getJobParameters().getString(INPUT));
            if (++shown == 10) {
                break;
            }
        }
        if (latest == null) {
            out.println("No runs recorded yet.");
            return ExitCodes.OK;
        }
        out.printf("Records of run %d by state:%n", latest.getInstanceId());
        ledger.countRecordsByState(latest.getInstanceId()).forEach((k, v) -> out.printf("  %-10s %d%n", k, v));
        return ExitCodes.OK;
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
