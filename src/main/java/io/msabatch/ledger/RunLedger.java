package io.msabatch.ledger;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

/**
 * The life cycle of one run's records and MSA jobs, as verbs. Each transition is one guarded UPDATE
 * ({@code ... WHERE STATE = :expected}), so a restarted or concurrent step never moves a row backwards, and each
 * carries its records' follow-up (a job's outcome is copied to every record that waits on it). Methods join the
 * caller's transaction (the chunk's) unless their javadoc says they commit on their own. Thread-safe.
 */
public final class RunLedger {

    private static final String JOB_COLUMNS = "RUN_ID, SEQ_HASH, NULL AS SEQUENCE, STATE, JOB_ID, JOB_STATUS, ATTEMPTS, "
            + "SUBMISSIONS, INTENT_AT, SUBMITTED_AT, CREATED_AT, FINISHED_AT, ORIGIN, ERROR";
    /** The same columns of MSA_JOB aliased {@code j}. */
    private static final String J_COLUMNS = JOB_COLUMNS.replaceAll("(^|, )(?!NULL)([A-Z_]+)", "$1j.$2");
    /** From a record's look-up row {@code l} (SEED_LOOKUP, migration V9) to the record {@code r}, by its key. */
    private static final String TO_RECORD = "JOIN SEED_RECORD r ON r.RUN_ID = l.RUN_ID AND r.RECORD_NO = l.RECORD_NO";
    private static final Comparator<MsaJobRow> OLDEST_FIRST = Comparator
            .comparing((MsaJobRow j) -> j.createdAt() != null ? j.createdAt() : j.submittedAt() != null ? j.submittedAt()
                    : j.intentAt(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MsaJobRow::seqHash);

    private final Ledger db;
    private final long runId;

    RunLedger(Ledger db, long runId) {
        this.db = db;
        this.runId = runId;
    }

    public long runId() {
        return runId;
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    /** When this run was first started (files older than that belong to an earlier run). */
    public Instant createdAt() {
        return db.jdbc.sql("SELECT CREATED_AT FROM MSA_RUN WHERE RUN_ID = ?").param(runId)
                .query((rs, i) -> Ledger.instant(rs, "CREATED_AT")).single();
    }

    public boolean submissionDone() {
        return db.jdbc.sql("SELECT SUBMISSION_DONE FROM MSA_RUN WHERE RUN_ID = ?").param(runId).query(Boolean.class)
                .optional().orElse(false);
    }

    public void markSubmissionDone() {
        db.jdbc.sql("UPDATE MSA_RUN SET SUBMISSION_DONE = TRUE WHERE RUN_ID = ?").param(runId).update();
    }

    // ---- jobs: reading ---------------------------------------------------------------------------------------

    /** This run's job of a sequence, with its sequence. */
    public Optional<MsaJobRow> job(String seqHash) {
        return db.jdbc.sql("SELECT " + J_COLUMNS.replace("NULL AS SEQUENCE", "s.SEQUENCE") + " FROM MSA_JOB j "
                        + "LEFT JOIN MSA_SEQUENCE s ON s.RUN_ID = j.RUN_ID AND s.SEQ_HASH = j.SEQ_HASH "
                        + "WHERE j.RUN_ID = ? AND j.SEQ_HASH = ?").params(runId, seqHash)
                .query(Ledger::jobRow).optional();
    }

    /** This run's jobs of these sequences (without their sequences), by hash. */
    public Map<String, MsaJobRow> jobs(Collection<String> seqHashes) {
        Map<String, MsaJobRow> found = new HashMap<>();
        byKeys(seqHashes, J_COLUMNS, "JOIN MSA_JOB j ON j.SEQ_HASH = v.k AND j.RUN_ID = ?", Ledger::jobRow)
                .forEach(j -> found.put(j.seqHash(), j));
        return found;
    }

    /** This run's jobs in {@code state} (without their sequences), oldest (by the service's created date) first. */
    public List<MsaJobRow> jobsIn(JobState state) {
        List<MsaJobRow> rows = new ArrayList<>(db.jdbc.sql("SELECT " + JOB_COLUMNS
                        + " FROM MSA_JOB WHERE RUN_ID = ? AND STATE = ?").params(runId, state.name())
                .query(Ledger::jobRow).list());
        rows.sort(OLDEST_FIRST);
        return rows;
    }

    public int countIn(JobState state) {
        return db.jdbc.sql("SELECT COUNT(*) FROM MSA_JOB WHERE RUN_ID = ? AND STATE = ?").params(runId, state.name())
                .query(Integer.class).single();
    }

    /** The sequences of these jobs (job rows leave them out: one can be 100,000 residues), by hash (one look-up per 500 hashes). */
    public Map<String, String> sequencesOf(Collection<String> seqHashes) {
        Map<String, String> found = new HashMap<>();
        byKeys(seqHashes, "s.SEQ_HASH, s.SEQUENCE", "JOIN MSA_SEQUENCE s ON s.SEQ_HASH = v.k AND s.RUN_ID = ?",
                (rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> found.put(e.getKey(), e.getValue()));
        return found;
    }

    /** Jobs that ended while a record of theirs still waits (a record that joined a job as it ended). */
    public List<MsaJobRow> endedWithWaitingRecords() {
        return db.jdbc.sql("SELECT " + J_COLUMNS + " FROM MSA_JOB j WHERE j.RUN_ID = ? AND j.STATE IN ('DONE','FAILED','TIMED_OUT','CANCELED','ERROR') "
                        + "AND " + aRecordWaits("j"))
                .param(runId).query(Ledger::jobRow).list();
    }

    /**
     * Locks this run's job rows of these sequences until the caller's transaction ends, always in hash order (so two
     * writers never deadlock): a record joining a job and the job finishing then see each other instead of racing.
     */
    public void lockJobs(Collection<String> seqHashes) {
        // one statement per 500 jobs, not one per job (each statement is parsed and planned: QUERY_CACHE_SIZE=0)
        for (List<String> part : Ledger.chunks(new java.util.TreeSet<>(seqHashes))) {
            db.jdbc.sql("SELECT SEQ_HASH FROM MSA_JOB WHERE RUN_ID = :run AND SEQ_HASH IN (:h) ORDER BY SEQ_HASH FOR UPDATE")
                    .param("run", runId).param("h", part).query(String.class).list();
        }
    }

    /** A job of another run whose MSA this run can take: in flight (adopt it) or succeeded within the age (reuse). */
    public record CachedJob(MsaJobRow job, boolean finished) {
    }

    /**
     * For each of these sequences, the best job of an earlier run in this database (any pipeline): a job that
     * succeeded on the service since {@code finishedSince} (newest first), else one still in flight (or timed out on
     * our side) submitted since {@code submittedSince}. Failed and canceled jobs are never offered.
     */
    public Map<String, CachedJob> cached(Collection<String> seqHashes, Instant finishedSince, Instant submittedSince) {
        Map<String, CachedJob> best = new HashMap<>();
        for (List<String> part : Ledger.chunks(new HashSet<>(seqHashes))) {
            db.jdbc.sql("SELECT " + JOB_COLUMNS + " FROM MSA_JOB WHERE SEQ_HASH IN (:h) AND RUN_ID <> :run AND JOB_ID IS NOT NULL "
                            + "AND ((STATE IN ('DONE','SUCCEEDED') AND FINISHED_AT >= :done) "
                            + "OR (STATE IN ('SUBMITTED','TIMED_OUT') AND SUBMITTED_AT >= :sent))")
                    .param("h", part).param("run", runId).param("done", Ledger.ts(finishedSince))
                    .param("sent", Ledger.ts(submittedSince))
                    .query(Ledger::jobRow).list()
                    .forEach(j -> best.merge(j.seqHash(), new CachedJob(j, j.state() == JobState.DONE
                            || j.state() == JobState.SUCCEEDED), RunLedger::better));
        }
        return best;
    }

    private static CachedJob better(CachedJob a, CachedJob b) {
        if (a.finished() != b.finished()) {
            return a.finished() ? a : b;
        }
        Instant ta = a.finished() ? a.job().finishedAt() : a.job().submittedAt();
        Instant tb = b.finished() ? b.job().finishedAt() : b.job().submittedAt();
        return tb != null && (ta == null || tb.isAfter(ta)) ? b : a;
    }

    /** Files that run {@code otherRun} wrote and verified for a sequence (for copying instead of downloading). */
    public List<Path> filesOf(long otherRun, String seqHash) {
        return db.jdbc.sql("SELECT r.FILE_NAME, m.OUTPUT_DIR FROM SEED_LOOKUP l " + TO_RECORD + " JOIN MSA_RUN m ON m.RUN_ID = r.RUN_ID "
                        + "WHERE l.RUN_ID = ? AND l.SEQ_HASH = ? AND r.STATE = 'SUCCESS' ORDER BY l.RECORD_NO "
                        + "FETCH FIRST 3 ROWS ONLY")
                .params(otherRun, seqHash)
                .query((rs, i) -> Path.of(rs.getString("OUTPUT_DIR")).resolve(rs.getString("FILE_NAME"))).list();
    }

    // ---- jobs: transitions -----------------------------------------------------------------------------------

    /** A write-ahead intent: send {@code sequence}; {@code from} is the state it leaves, or null for a new row. */
    public record Intent(String seqHash, String sequence, JobState from) {
    }

    /**
     * Commits, in one transaction of its own, that these sequences are about to be sent (state SUBMITTING, attempts
     * + 1, intent time): every intent is durable before any of the POSTs it announces. Returns the intents that took
     * (a row that moved on meanwhile is left alone) and their time.
     */
    public List<Intent> intend(List<Intent> intents, Instant at) {
        OffsetDateTime t = Ledger.ts(at);
        List<Intent> taken = new ArrayList<>();
        db.ownTransaction.executeWithoutResult(s -> {
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> sequences = new ArrayList<>();
            for (Intent i : intents) {
                if (i.from() == null) {
                    inserts.add(new Object[] {runId, i.seqHash(), t, t});
                    sequences.add(new Object[] {runId, i.seqHash(), i.sequence()});
                    taken.add(i);
                } else if (db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'SUBMITTING', ATTEMPTS = ATTEMPTS + 1, INTENT_AT = ?, "
                                + "JOB_ID = NULL, JOB_STATUS = NULL, CREATED_AT = NULL, UPDATED_AT = ? "
                                + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = ?")
                        .params(t, t, runId, i.seqHash(), i.from().name()).update() == 1) {
                    taken.add(i);
                }
            }
            if (!inserts.isEmpty()) {
                db.template.batchUpdate("INSERT INTO MSA_JOB (RUN_ID, SEQ_HASH, STATE, ATTEMPTS, INTENT_AT, "
                        + "UPDATED_AT, ORIGIN, SUBMISSIONS) VALUES (?,?,'SUBMITTING',1,?,?,'SUBMITTED',0)", inserts);
                insertSequences(sequences);
            }
        });
        db.durable();
        return taken;
    }

    /** A job's sequence is written once, beside its row (job updates never rewrite it). */
    private void insertSequences(List<Object[]> sequences) {
        if (!sequences.isEmpty()) {
            db.template.batchUpdate("INSERT INTO MSA_SEQUENCE (RUN_ID, SEQ_HASH, SEQUENCE) VALUES (?,?,?)", sequences);
        }
    }

    /**
     * The service's answer to a submission: the job's id, its status as the service spelled it (kept for the report),
     * whether that status is SUCCESS (an answer from the service's cache), and its created date.
     */
    public record Answer(String seqHash, String jobId, String jobStatus, boolean succeeded, Instant createdAt) {
    }

    /**
     * The POST answered (or reconciliation found the job): SUBMITTING or IN_DOUBT becomes SUBMITTED with the job id
     * (SUCCEEDED at once when the service answered from its cache). Returns how many rows moved.
     */
    public int submitted(List<Answer> answers) {
        OffsetDateTime now = db.now();
        List<Object[]> args = new ArrayList<>();
        for (Answer a : answers) {
            boolean done = a.succeeded();
            args.add(new Object[] {done ? "SUCCEEDED" : "SUBMITTED", a.jobId(), a.jobStatus(), now,
                    Ledger.ts(a.createdAt()), done ? now : null, now, runId, a.seqHash()});
        }
        int moved = 0;
        for (int n : db.template.batchUpdate("UPDATE MSA_JOB SET STATE = ?, JOB_ID = ?, JOB_STATUS = ?, SUBMITTED_AT = ?, "
                + "CREATED_AT = ?, FINISHED_AT = ?, SUBMISSIONS = SUBMISSIONS + 1, ERROR = NULL, UPDATED_AT = ? "
                + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE IN ('SUBMITTING','IN_DOUBT')", args)) {
            moved += Math.max(n, 0);
        }
        return moved;
    }

    /** The POST may have arrived (no usable answer): SUBMITTING becomes IN_DOUBT, to be reconciled. */
    public boolean inDoubt(String seqHash, Instant attemptedAt, String why) {
        return db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'IN_DOUBT', INTENT_AT = ?, ERROR = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE IN ('SUBMITTING','IN_DOUBT')")
                .params(Ledger.ts(attemptedAt), Ledger.clip(why, 2000), db.now(), runId, seqHash).update() == 1;
    }

    /** Certainly not received (or reconciled as never created): the sequence is to be sent again. */
    public boolean unsent(String seqHash, String why) {
        return db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'UNSENT', ERROR = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE IN ('SUBMITTING','IN_DOUBT')")
                .params(Ledger.clip(why, 2000), db.now(), runId, seqHash).update() == 1;
    }

    /** The service reports SUCCESS: the records' files are to be written. */
    public boolean succeeded(String seqHash) {
        return db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'SUCCEEDED', JOB_STATUS = 'SUCCESS', FINISHED_AT = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = 'SUBMITTED'")
                .params(db.now(), db.now(), runId, seqHash).update() == 1;
    }

    /**
     * Takes an earlier run's job for a sequence: in flight (ADOPTED, state SUBMITTED) or finished (REUSED, state
     * SUCCEEDED: its files are to be copied or downloaded). The job's dates are kept (freshness is the job's age).
     */
    public void adopt(String seqHash, String sequence, MsaJobRow earlier, Origin origin) {
        boolean finished = earlier.state() == JobState.DONE || earlier.state() == JobState.SUCCEEDED;
        OffsetDateTime now = db.now();
        db.jdbc.sql("INSERT INTO MSA_JOB (RUN_ID, SEQ_HASH, STATE, JOB_ID, JOB_STATUS, ATTEMPTS, SUBMISSIONS, "
                        + "SUBMITTED_AT, CREATED_AT, FINISHED_AT, ORIGIN, UPDATED_AT) VALUES (?,?,?,?,?,0,0,?,?,?,?,?)")
                .params(runId, seqHash, finished ? "SUCCEEDED" : "SUBMITTED", earlier.jobId(),
                        earlier.jobStatus(), Ledger.ts(earlier.submittedAt()), Ledger.ts(earlier.createdAt()),
                        finished ? Ledger.ts(earlier.finishedAt()) : null, origin.name(), now)
                .update();
        insertSequences(List.<Object[]>of(new Object[] {runId, seqHash, sequence}));
        if (finished) {
            // a reused result is the same MSA: its quality comes along (the picture is drawn for this run's first ones)
            db.jdbc.sql("UPDATE MSA_JOB SET (N_SEQ, NEFF, NEFF_ESTIMATED, COVERAGE_MEAN, COVERAGE_MIN, MSA_WARNING) = "
                            + "(SELECT e.N_SEQ, e.NEFF, e.NEFF_ESTIMATED, e.COVERAGE_MEAN, e.COVERAGE_MIN, e.MSA_WARNING "
                            + "FROM MSA_JOB e WHERE e.RUN_ID = ? AND e.SEQ_HASH = ?) WHERE RUN_ID = ? AND SEQ_HASH = ?")
                    .params(earlier.runId(), seqHash, runId, seqHash).update();
        }
    }

    /**
     * Keeps the quality of a job's MSA (computed once, when its first file is written). Only a job with an MSA takes
     * it: SUCCEEDED or DONE; any other job is left unmeasured.
     */
    public void measured(String seqHash, MsaStats q) {
        db.jdbc.sql("UPDATE MSA_JOB SET N_SEQ = ?, NEFF = ?, NEFF_ESTIMATED = ?, COVERAGE_MEAN = ?, COVERAGE_MIN = ?, "
                        + "MSA_WARNING = ?, PICTURE = ? WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE IN ('SUCCEEDED','DONE')")
                .params(q.sequences(), q.neff(), q.neffEstimated(), q.coverageMean(), q.coverageMin(), q.warning(),
                        q.pictureJson(), runId, seqHash).update();
    }

    /** Whether this run already holds the quality of a sequence's MSA. */
    public boolean isMeasured(String seqHash) {
        return db.jdbc.sql("SELECT N_SEQ FROM MSA_JOB WHERE RUN_ID = ? AND SEQ_HASH = ?").params(runId, seqHash)
                .query((rs, i) -> rs.getObject(1) != null).optional().orElse(false);
    }

    /** How many jobs of this run keep a coverage picture. */
    public int countPictures() {
        return db.jdbc.sql("SELECT COUNT(*) FROM MSA_JOB WHERE RUN_ID = ? AND PICTURE IS NOT NULL").param(runId)
                .query(Integer.class).single();
    }

    /** One record with its job's MSA quality (null for a record without a measured MSA). */
    public record ReportEntry(RecordRow record, MsaStats stats) {
    }

    /** Streams every record of the run with its MSA's quality, in input order, from a cursor (constant memory). */
    public void forEachReportEntry(boolean withPictures, Consumer<ReportEntry> sink) {
        db.jdbc.sql("SELECT r.*, j.N_SEQ, j.NEFF, j.NEFF_ESTIMATED, j.COVERAGE_MEAN, j.COVERAGE_MIN, j.MSA_WARNING, "
                        + (withPictures ? "j.PICTURE" : "NULL AS PICTURE") + " FROM SEED_RECORD r LEFT JOIN MSA_JOB j "
                        + "ON j.RUN_ID = r.RUN_ID AND j.SEQ_HASH = r.SEQ_HASH WHERE r.RUN_ID = ? AND r.RECORD_NO >= 0 "
                        + "ORDER BY r.RUN_ID, r.RECORD_NO") // see forEachRecord
                .param(runId)
                .query((RowCallbackHandler) rs -> {
                    RecordRow r = Ledger.recordRow(rs, 0);
                    MsaStats q = rs.getObject("N_SEQ") == null || r.state() != RecordState.SUCCESS ? null
                            : new MsaStats(rs.getInt("N_SEQ"), rs.getDouble("NEFF"), rs.getBoolean("NEFF_ESTIMATED"),
                                    rs.getDouble("COVERAGE_MEAN"), rs.getDouble("COVERAGE_MIN"), rs.getString("MSA_WARNING"),
                                    rs.getString("PICTURE"));
                    sink.accept(new ReportEntry(r, q));
                });
    }

    /** Reopens a DONE job because a record joined it after its files were written (its file is written too). */
    public boolean reopen(String seqHash) {
        return db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'SUCCEEDED', UPDATED_AT = ? WHERE RUN_ID = ? AND SEQ_HASH = ? "
                + "AND STATE = 'DONE'").params(db.now(), runId, seqHash).update() == 1;
    }

    /**
     * Ends a job ({@code to} is final) if it is still in {@code from}, and gives every record waiting on it the
     * matching outcome and {@code error}. Returns false (and changes nothing) when the job had moved on.
     */
    public boolean end(String seqHash, JobState from, JobState to, String error) {
        if (!to.isFinal() || to == JobState.DONE) {
            throw new IllegalArgumentException("end() takes FAILED, TIMED_OUT, CANCELED or ERROR, not " + to);
        }
        boolean moved = db.jdbc.sql("UPDATE MSA_JOB SET STATE = ?, ERROR = ?, FINISHED_AT = COALESCE(FINISHED_AT, ?), "
                        + "UPDATED_AT = ? WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = ?")
                .params(to.name(), Ledger.clip(error, 2000), db.now(), db.now(), runId, seqHash, from.name())
                .update() == 1;
        if (moved) {
            settleRecords(seqHash, to.recordState(), error);
        }
        return moved;
    }

    /** The service refused the sequence itself (400/413/422): the job is FAILED for good, its records REJECTED. */
    public boolean refused(String seqHash, JobState from, String reason) {
        boolean moved = db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'FAILED', ERROR = ?, FINISHED_AT = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = ?")
                .params(Ledger.clip(reason, 2000), db.now(), db.now(), runId, seqHash, from.name()).update() == 1;
        if (moved) {
            settleRecords(seqHash, RecordState.REJECTED, reason);
        }
        return moved;
    }

    /** Every record of the sequence still PENDING takes {@code state}, with the job's id and submission count. */
    private void settleRecords(String seqHash, RecordState state, String error) {
        // the records are found through SEED_LOOKUP, then each moved by its key (RECORD_NO IN (SELECT ...) would walk
        // the run: H2 looks an IN up by an index only when its column leads the index)
        List<Long> waiting = db.jdbc.sql("SELECT r.RECORD_NO FROM SEED_LOOKUP l " + TO_RECORD
                        + " WHERE l.RUN_ID = ? AND l.SEQ_HASH = ? AND r.STATE = 'PENDING'")
                .params(runId, seqHash).query(Long.class).list();
        if (waiting.isEmpty()) {
            return;
        }
        OffsetDateTime now = db.now();
        List<Object[]> args = new ArrayList<>(waiting.size());
        for (long recordNo : waiting) {
            args.add(new Object[] {state.name(), Ledger.clip(error, 2000), now, runId, recordNo});
        }
        db.template.batchUpdate("UPDATE SEED_RECORD SET STATE = ?, ERROR = ?, UPDATED_AT = ?, "
                + "JOB_ID = (SELECT j.JOB_ID FROM MSA_JOB j WHERE j.RUN_ID = SEED_RECORD.RUN_ID AND j.SEQ_HASH = SEED_RECORD.SEQ_HASH), "
                + "ATTEMPTS = (SELECT j.SUBMISSIONS FROM MSA_JOB j WHERE j.RUN_ID = SEED_RECORD.RUN_ID AND j.SEQ_HASH = SEED_RECORD.SEQ_HASH) "
                + "WHERE RUN_ID = ? AND RECORD_NO = ? AND STATE = 'PENDING'", args);
    }

    // ---- records ---------------------------------------------------------------------------------------------

    /**
     * Inserts records. One whose sequence's job has already ended takes the job's outcome; one that joins a DONE job
     * reopens it so that its file is written too. Records already present (a re-read after a rollback) are skipped.
     * Lock the jobs first ({@link #lockJobs}).
     */
    public void join(List<RecordRow> records) {
        if (records.isEmpty()) {
            return;
        }
        long min = records.stream().mapToLong(RecordRow::recordNo).min().orElseThrow();
        long max = records.stream().mapToLong(RecordRow::recordNo).max().orElseThrow();
        Set<Long> present = new HashSet<>(db.jdbc.sql("SELECT RECORD_NO FROM SEED_RECORD WHERE RUN_ID = ? "
                + "AND RECORD_NO BETWEEN ? AND ?").params(runId, min, max).query(Long.class).list());
        Map<String, MsaJobRow> jobs = jobs(records.stream().map(RecordRow::seqHash).filter(h -> h != null).toList());
        OffsetDateTime now = db.now();
        List<Object[]> rows = new ArrayList<>();
        for (RecordRow r : records) {
            if (present.contains(r.recordNo())) {
                continue;
            }
            RecordState state = r.state();
            String error = r.error();
            String jobId = r.jobId();
            int attempts = r.attempts();
            MsaJobRow job = r.seqHash() == null ? null : jobs.get(r.seqHash());
            if (job != null && state == RecordState.PENDING) {
                jobId = job.jobId();
                attempts = job.submissions();
                if (job.state() == JobState.DONE) {
                    reopen(r.seqHash());
                    jobs.put(r.seqHash(), withState(job, JobState.SUCCEEDED));
                } else if (job.state().isFinal()) {
                    state = job.state().recordState();
                    error = job.error();
                }
            }
            rows.add(new Object[] {runId, r.recordNo(), r.line(), Ledger.clip(r.seedId(), 1000), r.seqHash(), state.name(),
                    jobId, attempts, r.fileName(), r.fileName() == null ? null : fileKey(r.fileName()), r.checksum(),
                    Ledger.clip(error, 2000), Ledger.clip(r.warning(), 1000),
                    r.origin() == null ? null : r.origin().name(), now, now});
        }
        db.template.batchUpdate("INSERT INTO SEED_RECORD (RUN_ID, RECORD_NO, LINE_NO, SEED_ID, SEQ_HASH, STATE, JOB_ID, "
                + "ATTEMPTS, FILE_NAME, FILE_KEY, CHECKSUM, ERROR, WARNING, ORIGIN, CREATED_AT, UPDATED_AT) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows);
        // the record's look-ups (by sequence, id, file key), written once: SEED_RECORD's own updates then move no entry
        // of an index keyed by a random value (migration V9)
        db.template.batchUpdate("INSERT INTO SEED_LOOKUP (RUN_ID, RECORD_NO, SEQ_HASH, SEED_ID, FILE_KEY) VALUES (?,?,?,?,?)",
                rows.stream().map(r -> new Object[] {r[0], r[1], r[4], r[3], r[9]}).toList());
    }

    private static MsaJobRow withState(MsaJobRow j, JobState state) {
        return new MsaJobRow(j.runId(), j.seqHash(), j.sequence(), state, j.jobId(), j.jobStatus(), j.attempts(),
                j.submissions(), j.intentAt(), j.submittedAt(), j.createdAt(), j.finishedAt(), j.origin(), j.error());
    }

    /** File names are unique per run ignoring case (case-insensitive file systems). */
    public static String fileKey(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT);
    }

    /** Records still waiting on the job of a sequence, in input order. */
    public List<RecordRow> waitingRecords(String seqHash) {
        return waitingRecords(List.of(seqHash)).getOrDefault(seqHash, List.of());
    }

    /** The records still waiting on the jobs of these sequences, by hash, each list in input order. */
    public Map<String, List<RecordRow>> waitingRecords(Collection<String> seqHashes) {
        Map<String, List<RecordRow>> found = new HashMap<>();
        byKeys(seqHashes, "r.*", "JOIN SEED_LOOKUP l ON l.SEQ_HASH = v.k AND l.RUN_ID = ? " + TO_RECORD + " WHERE r.STATE = 'PENDING'",
                Ledger::recordRow)
                .forEach(r -> found.computeIfAbsent(r.seqHash(), h -> new ArrayList<>()).add(r));
        found.values().forEach(l -> l.sort(Comparator.comparingLong(RecordRow::recordNo)));
        return found;
    }

    /** One record's file is written and verified: PENDING becomes SUCCESS. */
    public record Written(long recordNo, String jobId, int attempts, String checksum) {
    }

    /** Returns how many of these records moved (one that was no longer PENDING is left alone). */
    public int written(List<Written> files) {
        if (files.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = db.now();
        List<Object[]> args = new ArrayList<>();
        for (Written w : files) {
            args.add(new Object[] {w.jobId(), w.attempts(), w.checksum(), now, runId, w.recordNo()});
        }
        int moved = 0;
        for (int n : db.template.batchUpdate("UPDATE SEED_RECORD SET STATE = 'SUCCESS', JOB_ID = ?, ATTEMPTS = ?, "
                + "CHECKSUM = ?, ERROR = NULL, UPDATED_AT = ? WHERE RUN_ID = ? AND RECORD_NO = ? AND STATE = 'PENDING'", args)) {
            moved += Math.max(n, 0);
        }
        return moved;
    }

    /** One record's file could not be written or verified: PENDING becomes ERROR. */
    public boolean recordFailed(long recordNo, String error) {
        return db.jdbc.sql("UPDATE SEED_RECORD SET STATE = 'ERROR', ERROR = ?, UPDATED_AT = ? WHERE RUN_ID = ? AND RECORD_NO = ? "
                + "AND STATE = 'PENDING'").params(Ledger.clip(error, 2000), db.now(), runId, recordNo).update() == 1;
    }

    /** A job whose files were written, with the MSA's quality (null when it could not be measured). */
    public record Finished(String seqHash, MsaStats stats) {
    }

    private static final String FINISH_WRITTEN = "UPDATE MSA_JOB SET STATE = CASE WHEN " + aRecordWaits("MSA_JOB") + " THEN 'SUCCEEDED' "
            + "ELSE 'DONE' END, JOB_STATUS = 'SUCCESS', FINISHED_AT = COALESCE(FINISHED_AT, ?), UPDATED_AT = ?, "
            + "N_SEQ = COALESCE(?, N_SEQ), NEFF = COALESCE(?, NEFF), NEFF_ESTIMATED = COALESCE(?, NEFF_ESTIMATED), "
            + "COVERAGE_MEAN = COALESCE(?, COVERAGE_MEAN), COVERAGE_MIN = COALESCE(?, COVERAGE_MIN), "
            + "MSA_WARNING = CASE WHEN ? THEN ? ELSE MSA_WARNING END, PICTURE = COALESCE(?, PICTURE) "
            + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE IN ('SUBMITTED','SUCCEEDED')";

    /**
     * After a job's files were written: SUBMITTED or SUCCEEDED becomes DONE when no record of the sequence waits any
     * more (else SUCCEEDED: a record joined meanwhile and is written next), keeping the MSA's quality when given. One
     * statement for what {@link #succeeded}, {@link #measured} and {@link #finishIfWritten} do apart.
     */
    public boolean finishWritten(String seqHash, MsaStats q) {
        return finishWritten(List.of(new Finished(seqHash, q))) == 1;
    }

    /**
     * {@link #finishWritten(String, MsaStats)} for many jobs in one JDBC batch (one statement prepared, not one per
     * job); returns how many moved.
     */
    public int finishWritten(List<Finished> jobs) {
        if (jobs.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = db.now();
        List<Object[]> args = new ArrayList<>(jobs.size());
        for (Finished f : jobs) {
            MsaStats q = f.stats();
            args.add(new Object[] {now, now, q == null ? null : q.sequences(), q == null ? null : q.neff(),
                    q == null ? null : q.neffEstimated(), q == null ? null : q.coverageMean(),
                    q == null ? null : q.coverageMin(), q != null, q == null ? null : q.warning(),
                    q == null ? null : q.pictureJson(), runId, f.seqHash()});
        }
        int moved = 0;
        for (int n : db.template.batchUpdate(FINISH_WRITTEN, args)) {
            moved += Math.max(n, 0);
        }
        return moved;
    }

    /** SUCCEEDED becomes DONE once no record of the sequence waits any more. */
    public boolean finishIfWritten(String seqHash) {
        return db.jdbc.sql("UPDATE MSA_JOB SET STATE = 'DONE', FINISHED_AT = COALESCE(FINISHED_AT, ?), UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = 'SUCCEEDED' AND NOT " + aRecordWaits("MSA_JOB"))
                .params(db.now(), db.now(), runId, seqHash).update() == 1;
    }

    /** The first accepted record (by input order) with each of these ids, for the repeated-id rule. */
    public Map<String, RecordRow> firstAcceptedWithIds(Collection<String> seedIds) {
        Map<String, RecordRow> first = new HashMap<>();
        // no ORDER BY: given one, H2 may walk the whole run in record order instead of looking each id up
        byKeys(seedIds, "r.*", "JOIN SEED_LOOKUP l ON l.SEED_ID = v.k AND l.RUN_ID = ? " + TO_RECORD + " WHERE l.SEQ_HASH IS NOT NULL",
                Ledger::recordRow)
                .forEach(r -> first.merge(r.seedId(), r, (a, b) -> a.recordNo() <= b.recordNo() ? a : b));
        return first;
    }

    /** Which of these file keys ({@link #fileKey}) this run has given out already. */
    public Set<String> takenFileKeys(Collection<String> keys) {
        Set<String> taken = new HashSet<>();
        taken.addAll(byKeys(keys, "l.FILE_KEY", "JOIN SEED_LOOKUP l ON l.FILE_KEY = v.k AND l.RUN_ID = ?",
                (rs, i) -> rs.getString(1)));
        return taken;
    }

    /** {@code EXISTS}: a record of the job row {@code job}'s sequence (in its run) still waits for its file. */
    private static String aRecordWaits(String job) {
        return "EXISTS (SELECT 1 FROM SEED_LOOKUP l " + TO_RECORD + " WHERE l.RUN_ID = " + job + ".RUN_ID AND l.SEQ_HASH = "
                + job + ".SEQ_HASH AND r.STATE = 'PENDING')";
    }

    /**
     * Rows of {@code SELECT <columns> FROM (VALUES ...) v(k) <join>} for these distinct keys, 500 at a time; the join
     * names this run as its one parameter ({@code ... AND x.RUN_ID = ?}).
     */
    private <K, T> List<T> byKeys(Collection<K> keys, String columns, String join, RowMapper<T> rows) {
        List<T> found = new ArrayList<>();
        for (List<K> part : Ledger.chunks(new HashSet<>(keys))) {
            List<Object> args = new ArrayList<>(part);
            args.add(runId);
            found.addAll(db.jdbc.sql("SELECT " + columns + " FROM " + Ledger.values(part.size()) + " " + join)
                    .params(args).query(rows).list());
        }
        return found;
    }

    /** Streams every record of the run in input order to {@code sink}, from a cursor (constant memory). */
    public void forEachRecord(Consumer<RecordRow> sink) {
        // The range on RECORD_NO and the key's full order make H2 walk the primary key in order (a stream): given
        // only RUN_ID it may pick another index that starts with it and sort the whole run in memory first.
        db.jdbc.sql("SELECT * FROM SEED_RECORD WHERE RUN_ID = ? AND RECORD_NO >= 0 ORDER BY RUN_ID, RECORD_NO").param(runId)
                .query((RowCallbackHandler) rs -> sink.accept(Ledger.recordRow(rs, 0)));
    }

    /**
     * A tally of this run's records by state that each reading brings up to date at the cost of what can have
     * changed (for a reader that asks again and again: the progress line).
     */
    public RecordTally tally() {
        return new RecordTally(this);
    }

    /** Each record of the run from record number {@code from} on, in input order: its number and state (a cursor). */
    void forEachStateFrom(long from, java.util.function.BiConsumer<Long, RecordState> sink) {
        // the range on RECORD_NO and the key's full order: H2 walks the primary key from there (see forEachRecord)
        db.jdbc.sql("SELECT RECORD_NO, STATE FROM SEED_RECORD WHERE RUN_ID = ? AND RECORD_NO >= ? ORDER BY RUN_ID, RECORD_NO")
                .params(runId, Math.max(0, from))
                .query((RowCallbackHandler) rs -> sink.accept(rs.getLong(1), RecordState.valueOf(rs.getString(2))));
    }

    /** The states of these records of the run, by record number (none for a number the run does not have). */
    Map<Long, RecordState> statesOf(Collection<Long> recordNos) {
        Map<Long, RecordState> found = new HashMap<>();
        // a join on the listed numbers, not RECORD_NO IN (...): H2 looks an IN list up by an index only when the
        // list's column leads it, and the key leads with RUN_ID (it would walk the whole run)
        byKeys(recordNos, "r.RECORD_NO, r.STATE", "JOIN SEED_RECORD r ON r.RECORD_NO = v.k AND r.RUN_ID = ?",
                (rs, i) -> Map.entry(rs.getLong(1), RecordState.valueOf(rs.getString(2))))
                .forEach(e -> found.put(e.getKey(), e.getValue()));
        return found;
    }

    /** Records by state, every state present (zero when none), in the enum's order (a walk over the run's records). */
    public Map<RecordState, Long> countByState() {
        Map<RecordState, Long> counts = new EnumMap<>(RecordState.class);
        for (RecordState s : RecordState.values()) {
            counts.put(s, 0L);
        }
        db.jdbc.sql("SELECT STATE, COUNT(*) AS N FROM SEED_RECORD WHERE RUN_ID = ? GROUP BY STATE").param(runId)
                .query((RowCallbackHandler) rs -> counts.put(RecordState.valueOf(rs.getString("STATE")), rs.getLong("N")));
        return counts;
    }

    /** This run's jobs by state (every state, zero when none). */
    public Map<JobState, Long> countJobsByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, 0L);
        }
        db.jdbc.sql("SELECT STATE, COUNT(*) AS N FROM MSA_JOB WHERE RUN_ID = ? GROUP BY STATE").param(runId)
                .query((RowCallbackHandler) rs -> counts.put(JobState.valueOf(rs.getString("STATE")), rs.getLong("N")));
        return counts;
    }

    /** Records with a file by where their MSA came from. */
    public Map<Origin, Long> countByOrigin() {
        Map<Origin, Long> counts = new LinkedHashMap<>();
        for (Origin o : Origin.values()) {
            counts.put(o, 0L);
        }
        db.jdbc.sql("SELECT ORIGIN, COUNT(*) AS N FROM SEED_RECORD WHERE RUN_ID = ? AND ORIGIN IS NOT NULL GROUP BY ORIGIN")
                .param(runId)
                .query((RowCallbackHandler) rs -> counts.put(Origin.valueOf(rs.getString("ORIGIN")), rs.getLong("N")));
        return counts;
    }
}
