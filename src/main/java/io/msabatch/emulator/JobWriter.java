package io.msabatch.emulator;

import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every write to the job tables, on one thread, in group commits: whatever has queued up meanwhile (up to
 * {@value #MAX_BATCH} changes) goes into one transaction. {@link #insert} returns once its job is committed to the
 * file, so an acknowledged job survives a {@code kill -9}; status changes and results are queued without waiting
 * (lost by a {@code kill -9}, they are redone: the job is unfinished in the database and runs again after a
 * restart); they wait up to {@value #LINGER_MILLIS} ms for a commit, and changes of one job that meet become one
 * UPDATE. Results and inserts are committed no later than any status change queued after them. Thread-safe.
 */
@Component
class JobWriter {

    private static final Logger log = LoggerFactory.getLogger(JobWriter.class);
    static final int MAX_BATCH = 1000;
    /** How long a status change may wait for a commit that a job insert pays for. */
    static final long LINGER_MILLIS = 20;

    private sealed interface Change permits Insert, Update, Result {
    }

    private record Insert(JobRecord job, String seed, long seedKey, String uploadedMsa,
            CompletableFuture<Void> committed) implements Change {
    }

    private record Update(JobRecord job, String from) implements Change {
    }

    private record Result(String jobId, String msa) implements Change {
    }

    private static final String INSERT = "INSERT INTO emulator_job (seq, job_id, username, job_type, status,"
            + " created_us, start_us, end_us, num_records, sequence_length, failure_message, is_seed, msa_file,"
            + " result_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final String INSERT_SEED = "INSERT INTO emulator_seed (seq, seed_key, username, seed)"
            + " VALUES (?,?,?,?)";
    private static final String UPDATE = "UPDATE emulator_job SET status = ?, start_us = ?, end_us = ?,"
            + " num_records = ?, failure_message = ? WHERE seq = ?";
    private static final String RESULT = "MERGE INTO emulator_result (job_id, msa) KEY (job_id) VALUES (?, ?)";

    private final DataSource dataSource;
    private final JobCounters counters;
    private final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    JobWriter(DataSource dataSource, JobCounters counters) {
        this.dataSource = dataSource;
        this.counters = counters;
        this.thread = new Thread(this::run, "emulator-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Stores a new job (and, for an upload, its MSA) and returns once it is committed; throws if it could not be
     * stored.
     */
    void insert(JobRecord job, String seed, String uploadedMsa) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        offer(new Insert(job, seed, JobStore.seedKey(seed), uploadedMsa, committed));
        try {
            committed.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("job " + job.jobId() + " could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("job " + job.jobId() + " was not stored within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing job " + job.jobId());
        }
    }

    /** Queues a job's new status, dates, record count and failure message; {@code from} is its previous status. */
    void update(JobRecord job, String from) {
        offer(new Update(job, from));
    }

    /** Queues a job's MSA (headerless CSV). */
    void result(String jobId, String msa) {
        offer(new Result(jobId, msa));
    }

    private void offer(Change change) {
        if (stopping) {
            throw new IllegalStateException("the emulator is stopping");
        }
        queue.add(change);
    }

    private void run() {
        List<Change> batch = new ArrayList<>(MAX_BATCH);
        // status changes wait here up to LINGER_MILLIS, merged per job, riding along with the next commit
        Map<Long, Update> updates = new LinkedHashMap<>();
        long updatesDue = Long.MAX_VALUE;
        while (!stopping || !queue.isEmpty() || !updates.isEmpty()) {
            try {
                long wait = updates.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(100)
                        : Math.max(0, updatesDue - System.nanoTime());
                Change first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                List<Insert> inserts = new ArrayList<>();
                List<Result> results = new ArrayList<>();
                for (Change c : batch) {
                    if (c instanceof Insert i) {
                        inserts.add(i);
                    } else if (c instanceof Result r) {
                        results.add(r);
                    } else if (c instanceof Update u) {
                        if (updates.isEmpty()) {
                            updatesDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                        }
                        // the first change of a job still waiting knows the status the database holds
                        updates.merge(u.job().seq(), u, (old, latest) -> new Update(latest.job(), old.from()));
                    }
                }
                boolean updatesNow = !updates.isEmpty() && (stopping || updates.size() >= MAX_BATCH
                        || System.nanoTime() >= updatesDue);
                if (inserts.isEmpty() && results.isEmpty() && !updatesNow) {
                    continue;
                }
                // a commit is being paid for anyway: whatever status changes wait go with it
                List<Update> due = new ArrayList<>(updates.values());
                updates.clear();
                updatesDue = Long.MAX_VALUE;
                write(inserts, results, due);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Insert> inserts, List<Result> results, List<Update> updates) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!inserts.isEmpty()) {
                    insertRows(c, inserts);
                }
                for (Insert i : inserts) {
                    if (i.uploadedMsa() != null) {
                        results.add(new Result(i.job().jobId(), i.uploadedMsa()));
                    }
                }
                if (!results.isEmpty()) {
                    resultRows(c, results);
                }
                if (!updates.isEmpty()) {
                    updateRows(c, updates);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Emulator could not write {} job(s), {} result(s), {} status change(s): {}", inserts.size(),
                    results.size(), updates.size(), e.toString());
            inserts.forEach(i -> i.committed().completeExceptionally(e));
            return;
        }
        commits.incrementAndGet();
        changes.addAndGet(inserts.size() + results.size() + updates.size());
        for (Insert i : inserts) {
            counters.inserted(i.job());
            i.committed().complete(null);
        }
        updates.forEach(u -> counters.moved(u.from(), u.job().status()));
    }

    private static void insertRows(Connection c, List<Insert> inserts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Insert i : inserts) {
                JobRecord j = i.job();
                ps.setLong(1, j.seq());
                ps.setObject(2, JobStore.uuid(j.jobId()));
                ps.setString(3, j.username());
                ps.setString(4, j.jobType());
                ps.setString(5, j.status());
                ps.setLong(6, j.createdUs());
                setLong(ps, 7, j.startUs());
                setLong(ps, 8, j.endUs());
                setInt(ps, 9, j.numRecords());
                ps.setInt(10, j.sequenceLength());
                ps.setString(11, j.failureMessage());
                ps.setBoolean(12, j.isSeed());
                ps.setString(13, j.msaFile());
                ps.setObject(14, JobStore.uuid(j.resultOf()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_SEED)) {
            for (Insert i : inserts) {
                ps.setLong(1, i.job().seq());
                ps.setLong(2, i.seedKey());
                ps.setString(3, i.job().username());
                ps.setString(4, i.seed());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void resultRows(Connection c, List<Result> results) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RESULT)) {
            for (Result r : results) {
                ps.setObject(1, JobStore.uuid(r.jobId()));
                ps.setString(2, r.msa());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void updateRows(Connection c, Iterable<Update> updates) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Update u : updates) {
                JobRecord j = u.job();
                ps.setString(1, j.status());
                setLong(ps, 2, j.startUs());
                setLong(ps, 3, j.endUs());
                setInt(ps, 4, j.numRecords());
                ps.setString(5, j.failureMessage());
                ps.setLong(6, j.seq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    /** Transactions committed since start. */
    long commits() {
        return commits.get();
    }

    /** Changes (inserts, status changes, results) committed since start. */
    long changes() {
        return changes.get();
    }

    /** Writes what is queued, then stops the thread (the context is closing). */
    @PreDestroy
    void stop() {
        // no interrupt: an interrupt during H2's file I/O closes its FileChannel and with it the database
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
