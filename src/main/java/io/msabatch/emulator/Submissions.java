package io.msabatch.emulator;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Creates MSA jobs. An identical seed (any user) whose earlier seed job is SUCCESS is answered from the cache: a
 * new job, already SUCCESS (no start date, ended when created), sharing that job's MSA. Otherwise the job is stored
 * PENDING and handed to the scheduler. The job is committed before this returns. Thread-safe; submissions of one
 * seed are serialised so that the seed counts stay exact.
 */
@Component
class Submissions {

    private final JobStore store;
    private final JobWriter writer;
    private final JobScheduler scheduler;
    private final JobCounters counters;
    private final EmulatorSettings settings;
    private final Clock clock;
    private final ReentrantLock[] seedLocks = new ReentrantLock[64];
    private long lastSeq;
    private long lastCreatedUs;

    Submissions(JobStore store, JobWriter writer, JobScheduler scheduler, JobCounters counters,
            EmulatorSettings settings, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.scheduler = scheduler;
        this.counters = counters;
        this.settings = settings;
        this.clock = clock;
        for (int i = 0; i < seedLocks.length; i++) {
            seedLocks[i] = new ReentrantLock();
        }
        this.lastSeq = store.maxSeq();
        this.lastCreatedUs = store.maxCreatedUs();
    }

    /** A stored job for {@code content}: a seed file ({@code isSeed}) or a ready-made MSA; 400 for bad content. */
    JobRecord create(String username, String content, String fileName, boolean isSeed) {
        String seed;
        String uploaded = null;
        int uploadedRows = 0;
        if (isSeed) {
            seed = SeedParser.seed(content, settings.maxSeedLength());
        } else {
            SeedParser.UploadedMsa msa = SeedParser.msa(content, settings.maxSeedLength());
            seed = msa.seed();
            uploaded = MsaFormat.csv(msa.rows());
            uploadedRows = msa.rows().size();
        }
        JobRecord job;
        ReentrantLock lock = seedLocks[Math.floorMod(seed.hashCode(), seedLocks.length)];
        lock.lock();
        try {
            JobStore.SeedHistory history = store.history(seed, username, isSeed);
            long[] ids = nextIds();
            JobRecord cached = history.cached();
            int length = seed.replace(":", "").length();
            if (cached != null) {
                job = new JobRecord(ids[0], newJobId(), username, JobRecord.ALIGN, "SUCCESS", ids[1], null, ids[1],
                        cached.numRecords(), length, null, true, fileName, cached.resultJobId());
            } else {
                job = new JobRecord(ids[0], newJobId(), username, JobRecord.ALIGN, "PENDING", ids[1], null, null,
                        null, length, null, isSeed, fileName, null);
            }
            writer.insert(job, seed, uploaded);
            counters.seed(!history.seen(), history.byThisUser() == 1);
        } finally {
            lock.unlock();
        }
        if (job.status().equals("PENDING")) {
            scheduler.enqueue(job, uploadedRows);
        }
        return job;
    }

    /**
     * The next row key and creation time: both strictly increasing, so that newest-first by creation time is also
     * submission order, even with a clock that stands still.
     */
    private synchronized long[] nextIds() {
        lastSeq++;
        lastCreatedUs = Math.max(JobRecord.micros(clock.instant()), lastCreatedUs + 1);
        return new long[] {lastSeq, lastCreatedUs};
    }

    /** A random (version 4) UUID; not {@code UUID.randomUUID()}, whose shared SecureRandom is a lock under load. */
    static String newJobId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }
}
