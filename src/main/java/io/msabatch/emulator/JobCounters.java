package io.msabatch.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Counts over the whole data dir (jobs by status, submissions, cache hits, distinct seeds, seeds a user paid for
 * twice), loaded once at start and then kept in step with every commit, so that stats never scan the job table.
 * Thread-safe.
 */
@Component
class JobCounters {

    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong distinctSeeds = new AtomicLong();
    private final AtomicLong seedsMoreThanOnce = new AtomicLong();

    JobCounters() {
        JobRecord.STATUSES.forEach(s -> byStatus.put(s, new AtomicLong()));
    }

    /** Sets every count from the database (at start, before any request). */
    void load(JobStore store) {
        store.countByStatus().forEach((s, n) -> byStatus.computeIfAbsent(s, k -> new AtomicLong()).set(n));
        submissions.set(store.count());
        cacheHits.set(store.cacheHits());
        distinctSeeds.set(store.distinctSeeds());
        seedsMoreThanOnce.set(store.seedsSubmittedMoreThanOnce());
    }

    void inserted(JobRecord job) {
        submissions.incrementAndGet();
        byStatus.get(job.status()).incrementAndGet();
        if (job.resultOf() != null) {
            cacheHits.incrementAndGet();
        }
    }

    void moved(String from, String to) {
        if (!from.equals(to)) {
            byStatus.get(from).decrementAndGet();
            byStatus.get(to).incrementAndGet();
        }
    }

    /** A stored submission of a seed: {@code newSeed} if no job had it, {@code secondForUser} if the user had one. */
    void seed(boolean newSeed, boolean secondForUser) {
        if (newSeed) {
            distinctSeeds.incrementAndGet();
        }
        if (secondForUser) {
            seedsMoreThanOnce.incrementAndGet();
        }
    }

    Map<String, Long> byStatus() {
        Map<String, Long> m = new LinkedHashMap<>();
        JobRecord.STATUSES.forEach(s -> m.put(s, byStatus.get(s).get()));
        return m;
    }

    long submissions() {
        return submissions.get();
    }

    long cacheHits() {
        return cacheHits.get();
    }

    long distinctSeeds() {
        return distinctSeeds.get();
    }

    long seedsSubmittedMoreThanOnce() {
        return seedsMoreThanOnce.get();
    }
}
