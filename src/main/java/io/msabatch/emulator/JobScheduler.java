package io.msabatch.emulator;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs jobs: at most {@code max-running-jobs-per-user} RUNNING (or RETRYING) per user, the rest wait PENDING in
 * submission order. A job computes its MSA (on a bounded pool, one thread per core, in search mode), then stays
 * RUNNING for the job duration, scheduled, not slept. A straggler waits PENDING for the straggler duration outside
 * the queue, holding no slot, then queues first. State lives here; the database hears of it through
 * {@link JobWriter}. At start, jobs a previous run left unfinished are queued again. Thread-safe; all pools stop when
 * the context closes.
 */
@Component
class JobScheduler {

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final JobStore store;
    private final JobWriter writer;
    private final MsaEngine engine;
    private final Faults faults;
    private final EmulatorSettings settings;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService compute;

    private final Map<String, UserQueue> users = new ConcurrentHashMap<>();
    private final AtomicInteger createdSinceStart = new AtomicInteger();
    private final AtomicLong stragglers = new AtomicLong();
    private volatile boolean stopped;

    /** One user's waiting jobs and slots; guarded by its own monitor. */
    private static final class UserQueue {
        final ArrayDeque<Queued> pending = new ArrayDeque<>();
        int running;
        int maxRunning;
    }

    /** A job waiting for a slot: its stored state and, for an upload, its number of rows. */
    private record Queued(JobRecord job, int uploadedRows) {
    }

    private record Plan(boolean retrying, boolean fail, boolean cancel) {
    }

    JobScheduler(JobStore store, JobWriter writer, JobCounters counters, MsaEngine engine, Faults faults,
            EmulatorSettings settings, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.engine = engine;
        this.faults = faults;
        this.settings = settings;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(2, daemon("emulator-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.compute = new ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("emulator-msa"));
        List<JobRecord> unfinished = store.resetUnfinished();
        counters.load(store);
        if (!unfinished.isEmpty()) {
            log.info("Emulator resumes {} unfinished job(s)", unfinished.size());
        }
        for (JobRecord job : unfinished) {
            admit(new Queued(job, job.isSeed() ? 0 : uploadedRows(job)), false);
        }
    }

    private int uploadedRows(JobRecord job) {
        return store.result(job.jobId()).map(csv -> MsaFormat.parseCsv(csv).size()).orElse(0);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Warms the search index in the background. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (!engine.seedOnly()) {
            compute.execute(engine::search);
        }
    }

    /** Takes a just-stored PENDING job: it starts as soon as its user has a free slot, unless it is a straggler. */
    void enqueue(JobRecord job, int uploadedRows) {
        Queued q = new Queued(job, uploadedRows);
        boolean straggler = createdSinceStart.incrementAndGet() <= settings.stragglerFirst()
                || Faults.roll(settings.stragglerShare());
        if (straggler) {
            stragglers.incrementAndGet();
            schedule(() -> admit(q, true), settings.stragglerDuration().toMillis());
        } else {
            admit(q, false);
        }
    }

    private void admit(Queued q, boolean first) {
        UserQueue uq = users.computeIfAbsent(q.job().username(), u -> new UserQueue());
        synchronized (uq) {
            if (first) {
                uq.pending.addFirst(q);
            } else {
                uq.pending.addLast(q);
            }
        }
        drain(uq);
    }

    private void drain(UserQueue uq) {
        List<Queued> toStart = new ArrayList<>();
        synchronized (uq) {
            while (!uq.pending.isEmpty() && uq.running < settings.maxRunningJobsPerUser()) {
                toStart.add(uq.pending.poll());
                uq.running++;
            }
            uq.maxRunning = Math.max(uq.maxRunning, uq.running);
        }
        for (Queued q : toStart) {
            schedule(guarded(uq, q.job(), () -> begin(uq, q)), 0);
        }
    }

    private void begin(UserQueue uq, Queued q) {
        JobRecord running = q.job().withStatus("RUNNING", JobRecord.micros(clock.instant()), null, null, null);
        writer.update(running, "PENDING");
        Faults.Snapshot f = faults.current();
        Plan plan = new Plan(Faults.roll(f.retrying()), Faults.roll(f.jobFailure()), Faults.roll(f.canceled()));
        if (engine.seedOnly() || !running.isSeed()) {
            computeAndWait(uq, running, q.uploadedRows(), plan);
        } else {
            compute.execute(guarded(uq, running, () -> computeAndWait(uq, running, q.uploadedRows(), plan)));
        }
    }

    private void computeAndWait(UserQueue uq, JobRecord job, int uploadedRows, Plan plan) {
        int rows = 0;
        if (!plan.fail() && !plan.cancel()) {
            if (!job.isSeed()) {
                rows = uploadedRows;
            } else if (engine.seedOnly()) {
                rows = 1; // the seed alone, derived from the seed when downloaded; nothing to store
            } else {
                List<MsaRow> msa = engine.compute(store.seed(job.seq()));
                writer.result(job.jobId(), MsaFormat.csv(msa));
                rows = msa.size();
            }
        }
        int numRecords = rows;
        long d = duration().toMillis();
        if (plan.retrying()) {
            long pause = Math.max(100, d);
            schedule(guarded(uq, job, () -> {
                JobRecord retrying = job.withStatus("RETRYING", job.startUs(), null, null, null);
                writer.update(retrying, "RUNNING");
                schedule(guarded(uq, job, () -> {
                    writer.update(job, "RETRYING");
                    schedule(() -> finish(uq, job, plan, numRecords), d);
                }), pause);
            }), d / 2);
        } else {
            // the job duration counts from the start, so the emulator's own bookkeeping does not lengthen it
            long spent = (JobRecord.micros(clock.instant()) - job.startUs()) / 1000;
            schedule(() -> finish(uq, job, plan, numRecords), Math.max(0, d - spent));
        }
    }

    private void finish(UserQueue uq, JobRecord job, Plan plan, int numRecords) {
        long now = JobRecord.micros(clock.instant());
        try {
            if (plan.fail()) {
                writer.update(job.withStatus("FAILURE", job.startUs(), now, null,
                        "Injected failure (emulator.faults.job-failure): the MSA search failed"), "RUNNING");
            } else if (plan.cancel()) {
                writer.update(job.withStatus("CANCELED", job.startUs(), now, null, null), "RUNNING");
            } else {
                writer.update(job.withStatus("SUCCESS", job.startUs(), now, numRecords, null), "RUNNING");
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                log.warn("Emulator job {} could not be finished: {}", job.jobId(), e.toString());
            }
        } finally {
            release(uq);
        }
    }

    private void release(UserQueue uq) {
        synchronized (uq) {
            uq.running--;
        }
        drain(uq);
    }

    private Duration duration() {
        long min = settings.minJobDuration().toMillis();
        long max = settings.maxJobDuration().toMillis();
        return Duration.ofMillis(max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min);
    }

    private void schedule(Runnable task, long delayMillis) {
        if (stopped) {
            return;
        }
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the job stays unfinished in the database and resumes at the next start
        }
    }

    private Runnable guarded(UserQueue uq, JobRecord job, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("Emulator job {} failed: {}", job.jobId(), e.toString());
                try {
                    writer.update(job.withStatus("FAILURE", job.startUs(), JobRecord.micros(clock.instant()), null,
                            "Internal error: " + e.getClass().getSimpleName()), job.status());
                } finally {
                    release(uq);
                }
            }
        };
    }

    /** The highest number of jobs seen running at once, per user, since start. */
    Map<String, Integer> maxRunningByUser() {
        Map<String, Integer> m = new TreeMap<>();
        users.forEach((u, q) -> {
            synchronized (q) {
                m.put(u, q.maxRunning);
            }
        });
        return m;
    }

    Map<String, Integer> runningByUser() {
        Map<String, Integer> m = new TreeMap<>();
        users.forEach((u, q) -> {
            synchronized (q) {
                if (q.running > 0) {
                    m.put(u, q.running);
                }
            }
        });
        return m;
    }

    /** Jobs made stragglers since start. */
    long stragglers() {
        return stragglers.get();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        timer.shutdownNow();
        // no interrupt for the compute pool: its tasks read seeds from H2, and an interrupt during H2's file I/O
        // closes the database's FileChannel
        compute.shutdown();
        ((ThreadPoolExecutor) compute).getQueue().clear();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            compute.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
