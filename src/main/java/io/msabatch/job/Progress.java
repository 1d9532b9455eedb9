package io.msabatch.job;

import io.msabatch.api.OpenProteinClient;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.RecordState;
import io.msabatch.ledger.RecordTally;
import io.msabatch.ledger.RunLedger;
import io.msabatch.run.RunContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells people and tools how far a run is, from the ledger: on a terminal one live line redrawn in place (a
 * progress bar with records, written, failed, rejected, jobs running, requests, elapsed and ETA); elsewhere (cron,
 * Kubernetes, a file) the same as a log line every {@code pipeline.progress-interval}. Each reading also feeds the
 * metrics and is written to {@code <state>/<name>.progress.json}, which {@code msa-batch status} shows while the
 * run holds its database. One per execution; its thread is a daemon and stops with the execution.
 */
final class Progress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One reading. {@code expected} is null when the input's record count is not known (gzip). */
    record Snapshot(Long expected, Map<RecordState, Long> records, long inFlight, long submitted, long requests,
                    Duration elapsed, Duration eta) {

        long total() {
            return records.values().stream().mapToLong(Long::longValue).sum();
        }

        long finished() {
            return total() - records.get(RecordState.PENDING);
        }

        long failed() {
            return records.get(RecordState.FAILURE) + records.get(RecordState.ERROR) + records.get(RecordState.TIMED_OUT)
                    + records.get(RecordState.CANCELED);
        }

        /** The one line, e.g. {@code 1,234/2,000 records (62%) · 1,180 written · ... · ETA 0:25}. */
        String line() {
            String of = expected == null ? String.format("%,d records", total())
                    : String.format("%,d/%,d records (%d%%)", finished(), expected,
                    expected == 0 ? 100 : Math.min(100, finished() * 100 / expected));
            return of + String.format(" · %,d written · %,d failed · %,d rejected · %,d submitted · %,d jobs in flight"
                            + " · %,d requests · %s elapsed", records.get(RecordState.SUCCESS), failed(),
                    records.get(RecordState.REJECTED), submitted, inFlight, requests, clock(elapsed))
                    + (eta == null ? "" : " · ETA " + clock(eta));
        }
    }

    private final RunLedger ledger;
    /** The records by state; each reading reads only what can have changed (the waiting records and the new ones). */
    private final RecordTally tally;
    private final RunContext run;
    private final OpenProteinClient client;
    private final RunMetrics metrics;
    private final Clock clock;
    private final Long expected;
    private final Path file;
    private final ScheduledExecutorService timer;
    private final ProgressBar bar;
    private final long finishedAtStart;
    private volatile Snapshot last;
    private long lastLog;
    private final long logEveryMillis;
    private final long everyMillis;
    /** Readings take at most 1/PACE of a core: the next waits PACE times the last one's CPU time (2.5 %; at 5 % the
     * readings were 6.7 % of a 20,000-record run's samples, README "Benchmarks"). */
    private static final int PACE = 40;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    Progress(RunLedger ledger, RunContext run, OpenProteinClient client, RunMetrics metrics, Clock clock, Long expected,
             Duration logInterval, boolean terminal) {
        this.ledger = ledger;
        this.tally = ledger.tally();
        this.run = run;
        this.client = client;
        this.metrics = metrics;
        this.clock = clock;
        this.expected = expected;
        this.file = run.stateDir().resolve(run.pipeline() + ".progress.json");
        this.logEveryMillis = Math.max(1000, logInterval.toMillis());
        this.finishedAtStart = read().finished();
        this.bar = terminal ? new ProgressBarBuilder().setTaskName("msa-batch").setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(expected == null ? -1 : expected).setUpdateIntervalMillis(1000).hideEta()
                .showSpeed().setUnit(" rec", 1).build() : null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        this.everyMillis = terminal ? 1000 : Math.min(logEveryMillis, 5000);
        timer.schedule(this::tick, everyMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads the ledger now: this run's records (what changed since the last reading) and jobs counted by state. */
    Snapshot read() {
        synchronized (tally) { // the constructor's thread, then the ticker's
            return read(tally.read());
        }
    }

    private Snapshot read(Map<RecordState, Long> records) {
        Map<JobState, Long> jobs = ledger.countJobsByState();
        long submitted = jobs.values().stream().mapToLong(Long::longValue).sum() - jobs.get(JobState.SUBMITTING)
                - jobs.get(JobState.IN_DOUBT) - jobs.get(JobState.UNSENT);
        Duration elapsed = Duration.between(run.startedAt(), clock.instant());
        long finished = records.values().stream().mapToLong(Long::longValue).sum() - records.get(RecordState.PENDING);
        Duration eta = null;
        long doneHere = finished - finishedAtStart;
        if (expected != null && doneHere > 0 && elapsed.toMillis() > 0) {
            long remaining = Math.max(0, expected - finished);
            eta = Duration.ofMillis((long) (remaining * (elapsed.toMillis() / (double) doneHere)));
        }
        return new Snapshot(expected, records, jobs.get(JobState.SUBMITTED), submitted, client.requestCount(), elapsed,
                eta);
    }

    /**
     * One reading, then the next scheduled after the interval, or later when reading has become costly (a long run):
     * what a reading costs is this thread's CPU time (the embedded database works on it), not the wall time, which
     * waiting for a busy machine inflates.
     */
    private void tick() {
        long started = cpuNanos();
        try {
            once();
        } finally {
            long took = TimeUnit.NANOSECONDS.toMillis(cpuNanos() - started);
            if (!timer.isShutdown()) {
                try {
                    timer.schedule(this::tick, Math.max(everyMillis, took * PACE), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    // closed between the check and the schedule
                }
            }
        }
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private void once() {
        try {
            Snapshot s = read();
            last = s;
            metrics.update(s);
            if (bar != null) {
                draw(s);
            } else if (clock.millis() - lastLog >= logEveryMillis) {
                lastLog = clock.millis();
                log.info("Progress: {}", s.line());
            }
            writeFile(s);
        } catch (RuntimeException e) {
            log.debug("Progress reading failed: {}", e.toString());
        }
    }

    private void draw(Snapshot s) {
        bar.stepTo(s.finished());
        // the ETA first: a terminal narrower than the line cuts its end
        bar.setExtraMessage(String.format("%s %,d written · %,d failed · %,d submitted · %,d in flight · %,d req",
                s.eta() == null ? "" : " ETA " + clock(s.eta()) + " ·", s.records().get(RecordState.SUCCESS),
                s.failed(), s.submitted(), s.inFlight(), s.requests()));
    }

    /** Under the file's lock, and never after {@link #close()}: a reading still in flight as the run ends would
     * otherwise write the live file again after close removed it. */
    private void writeFile(Snapshot s) {
        synchronized (file) {
            if (!closed.get()) {
                writeLiveFile(s);
            }
        }
    }

    private void writeLiveFile(Snapshot s) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            Files.deleteIfExists(temp);
            Files.writeString(temp, JSON.writeValueAsString(Map.of("pipeline", run.pipeline(), "run", run.runId(),
                    "at", Instant.now(clock).toString(), "line", s.line(), "records", s.records(), "expected",
                    s.expected() == null ? -1 : s.expected(), "in_flight", s.inFlight(), "requests", s.requests())),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.debug("Could not write {}: {}", file, e.toString());
        }
    }

    /** Stops the ticker; takes a last reading (for the metrics) and removes the live file. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closed at the job's end, then again by the job scope
        }
        timer.shutdownNow();
        try {
            Snapshot s = read(ledger.countByState()); // the last one counted afresh, once
            metrics.update(s);
            if (bar != null) {
                draw(s);
                bar.close();
            }
        } catch (RuntimeException e) {
            log.debug("Last progress reading failed: {}", e.toString());
        }
        try {
            synchronized (file) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a stale file is overwritten by the next run
        }
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
