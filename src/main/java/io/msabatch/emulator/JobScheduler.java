package io.msabatch.emulator;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs jobs: at most {@code max-running-jobs-per-user} RUNNING (or RETRYING) per user, the rest wait PENDING in
 * submission order. A job computes its MSA on a bounded pool (one thread per core), then stays RUNNING for the
 * job duration, scheduled, not slept. Thread-safe; all pools stop when the context closes.
 */
@Component
class JobScheduler {

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final JobStore store;
    private final MsaEngine engine;
    private final Faults faults;
    private final EmulatorSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService compute;

    private final Object lock = new Object();
    private final Map<String, ArrayDeque<String>> pending = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, Integer> maxRunning = new TreeMap<>();
    private volatile boolean stopped;

    JobScheduler(JobStore store, MsaEngine engine, Faults faults, EmulatorSettings settings) {
        this.store = store;
        this.engine = engine;
        this.faults = faults;
        this.settings = settings;
        this.timer = new ScheduledThreadPoolExecutor(2, daemon("emulator-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.compute = new ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("emulator-msa"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Re-queues what a previous run left unfinished and warms the search index. */
    @EventListener(ApplicationReadyEvent.class)
    void resume() {
        List<String[]> unfinished = store.resetUnfinished();
        if (!unfinished.isEmpty()) {
            log.info("Emulator resumes {} unfinished job(s)", unfinished.size());
        }
        for (String[] job : unfinished) {
            enqueue(job[1], job[0]);
        }
        if (!engine.seedOnly()) {
            compute.execute(engine::search);
        }
    }

    /** Queues a stored PENDING job; it starts as soon as its user has a free slot. */
    void enqueue(String username, String jobId) {
        synchronized (lock) {
            pending.computeIfAbsent(username, u -> new ArrayDeque<>()).add(jobId);
        }
        drain(username);
    }

    private void drain(String username) {
        List<String> toStart = new ArrayList<>();
        synchronized (lock) {
            ArrayDeque<String> queue = pending.get(username);
            int r = running.getOrDefault(username, 0);
            while (queue != null && !queue.isEmpty() && r < settings.maxRunningJobsPerUser()) {
                toStart.add(queue.poll());
                r++;
            }
            running.put(username, r);
            maxRunning.merge(username, r, Math::max);
        }
        for (String jobId : toStart) {
            submit(guarded(username, jobId, () -> begin(username, jobId)), 0);
        }
    }

    private void begin(String username, String jobId) {
        java.time.Instant started = clock.instant();
        store.markRunning(jobId, JobRecord.micros(started));
        Faults.Snapshot f = faults.current();
        Plan plan = new Plan(Faults.roll(f.retrying()), Faults.roll(f.jobFailure()), Faults.roll(f.canceled()));
        if (engine.seedOnly()) {
            computeAndWait(username, jobId, plan, started);
        } else {
            compute.execute(guarded(username, jobId, () -> computeAndWait(username, jobId, plan, started)));
        }
    }

    private record Plan(boolean retrying, boolean fail, boolean cancel) {
    }

    private void computeAndWait(String username, String jobId, Plan plan, java.time.Instant started) {
        int rows = 0;
        if (!plan.fail() && !plan.cancel()) {
            List<MsaRow> msa = engine.compute(store.seed(jobId));
            store.saveResult(jobId, MsaFormat.csv(msa));
            rows = msa.size();
        }
        int numRecords = rows;
        Duration d = duration();
        if (plan.retrying()) {
            Duration pause = d.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : d;
            submit(guarded(username, jobId, () -> {
                store.markStatus(jobId, "RETRYING", 50);
                submit(guarded(username, jobId, () -> {
                    store.markStatus(jobId, "RUNNING", 60);
                    submit(() -> finish(username, jobId, plan, numRecords), d.toMillis());
                }), pause.toMillis());
            }), d.toMillis() / 2);
        } else {
            // the job duration counts from the start, so the emulator's own bookkeeping does not lengthen it
            long computeMillis = Duration.between(started, clock.instant()).toMillis();
            long delay = Math.max(0, d.toMillis() - (engine.seedOnly() ? computeMillis : 0));
            submit(() -> finish(username, jobId, plan, numRecords), delay);
        }
    }

    private void finish(String username, String jobId, Plan plan, int numRecords) {
        long now = JobRecord.micros(clock.instant());
        try {
            if (plan.fail()) {
                store.markFailure(jobId, now, "Injected failure (emulator.faults.job-failure): the MSA search failed");
            } else if (plan.cancel()) {
                store.markStatus(jobId, "CANCELED", 0);
            } else {
                store.markSuccess(jobId, now, numRecords);
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                log.warn("Emulator job {} could not be finished: {}", jobId, e.toString());
            }
        } finally {
            release(username);
        }
    }

    private void release(String username) {
        synchronized (lock) {
            running.merge(username, -1, Integer::sum);
        }
        drain(username);
    }

    private Duration duration() {
        long min = settings.minJobDuration().toMillis();
        long max = settings.maxJobDuration().toMillis();
        return Duration.ofMillis(max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min);
    }

    private void submit(Runnable task, long delayMillis) {
        if (stopped) {
            return;
        }
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the job stays unfinished in the database and resumes at the next start
        }
    }

    private Runnable guarded(String username, String jobId, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("Emulator job {} failed: {}", jobId, e.toString());
                try {
                    store.markFailure(jobId, JobRecord.micros(clock.instant()), "Internal error: " + e.getClass()
                            .getSimpleName());
                } finally {
                    release(username);
                }
            }
        };
    }

    /** The highest number of jobs seen running at once, per user, since start. */
    Map<String, Integer> maxRunningByUser() {
        synchronized (lock) {
            return new TreeMap<>(maxRunning);
        }
    }

    Map<String, Integer> runningByUser() {
        synchronized (lock) {
            Map<String, Integer> m = new TreeMap<>(running);
            m.values().removeIf(v -> v == 0);
            return m;
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        timer.shutdownNow();
        compute.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            compute.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
