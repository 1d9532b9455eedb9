package io.msabatch.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The per-run record of input records and MSA jobs, in the same database as Spring Batch's job repository.
 * Methods join the caller's transaction (the chunk's) unless their name says otherwise; every state change is a
 * single UPDATE guarded by the expected old state, so a restarted step can never move a row backwards.
 * Thread-safe.
 */
@Component
public class Ledger {

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    public Ledger(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    // ---- runs ----------------------------------------------------------------------------------------------

    public void ensureRun(long runId, String pipeline, String runDate, String outputDir) {
        ownTransaction.executeWithoutResult(s -> {
            int n = jdbc.sql("SELECT COUNT(*) FROM MSA_RUN WHERE RUN_ID = ?").param(runId).query(Integer.class).single();
            if (n == 0) {
                jdbc.sql("INSERT INTO MSA_RUN (RUN_ID, PIPELINE, RUN_DATE, OUTPUT_DIR, SUBMISSION_DONE, CREATED_AT) VALUES (?,?,?,?,?,?)")
                        .params(runId, pipeline, runDate, outputDir, false, now()).update();
            }
        });
    }

    /** When this run was first started (files older than that belong to an earlier run). */
    public Instant runCreatedAt(long runId) {
        return jdbc.sql("SELECT CREATED_AT FROM MSA_RUN WHERE RUN_ID = ?").param(runId)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).single();
    }

    /**
     * Locks the job rows of these sequences until the caller's transaction ends, always in hash order (so two
     * writers never deadlock): the submit step's writer (adding records to a job) and the collect step's writer
     * (finishing a job) then see each other's work instead of racing.
     */
    public void lockJobs(long runId, Collection<String> seqHashes) {
        seqHashes.stream().distinct().sorted().forEach(hash ->
                jdbc.sql("SELECT STATE FROM MSA_JOB WHERE RUN_ID = ? AND SEQ_HASH = ? FOR UPDATE").params(runId, hash)
                        .query(String.class).optional());
    }

    /** Jobs that ended (DONE, FAILED, TIMED_OUT, CANCELED) while a record of theirs is still waiting. */
    public List<MsaJobRow> endedJobsWithWaitingRecords(long runId) {
        return jdbc.sql("SELECT j.* FROM MSA_JOB j WHERE j.RUN_ID = ? AND j.STATE IN ('DONE','FAILED','TIMED_OUT','CANCELED') "
                        + "AND EXISTS (SELECT 1 FROM SEED_RECORD r WHERE r.RUN_ID = j.RUN_ID AND r.SEQ_HASH = j.SEQ_HASH "
                        + "AND r.STATE = 'ACCEPTED')")
                .param(runId).query(Ledger::jobRow).list();
    }

    public boolean submissionDone(long runId) {
        return jdbc.sql("SELECT SUBMISSION_DONE FROM MSA_RUN WHERE RUN_ID = ?").param(runId).query(Boolean.class)
                .optional().orElse(false);
    }

    public void markSubmissionDone(long runId) {
        jdbc.sql("UPDATE MSA_RUN SET SUBMISSION_DONE = TRUE WHERE RUN_ID = ?").param(runId).update();
    }

    // ---- MSA jobs ------------------------------------------------------------------------------------------

    public Optional<MsaJobRow> findJob(long runId, String seqHash) {
        return jdbc.sql("SELECT * FROM MSA_JOB WHERE RUN_ID = ? AND SEQ_HASH = ?").params(runId, seqHash)
                .query(Ledger::jobRow).optional();
    }

    /**
     * Write-ahead: commits, in its own transaction, that {@code sequence} is about to be sent (state SUBMITTING,
     * attempts + 1, intent time). Creates the row if needed. Returns the intent time.
     */
    public Instant recordIntentNow(long runId, String seqHash, String sequence) {
        Instant at = clock.instant();
        ownTransaction.executeWithoutResult(s -> {
            int updated = jdbc.sql("UPDATE MSA_JOB SET STATE = 'SUBMITTING', ATTEMPTS = ATTEMPTS + 1, INTENT_AT = ?, "
                            + "JOB_ID = NULL, JOB_STATUS = NULL, ERROR = NULL, UPDATED_AT = ? WHERE RUN_ID = ? AND SEQ_HASH = ?")
                    .params(ts(at), ts(at), runId, seqHash).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO MSA_JOB (RUN_ID, SEQ_HASH, SEQUENCE, STATE, ATTEMPTS, INTENT_AT, UPDATED_AT) "
                                + "VALUES (?,?,?,'SUBMITTING',1,?,?)")
                        .params(runId, seqHash, sequence, ts(at), ts(at)).update();
            }
        });
        return at;
    }

    /** The POST answered (or reconciliation found the job): SUBMITTING becomes SUBMITTED with the job id. */
    public boolean recordSubmitted(long runId, String seqHash, String jobId, String jobStatus) {
        return jdbc.sql("UPDATE MSA_JOB SET STATE = 'SUBMITTED', JOB_ID = ?, JOB_STATUS = ?, SUBMITTED_AT = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = 'SUBMITTING'")
                .params(jobId, jobStatus, now(), now(), runId, seqHash).update() == 1;
    }

    /** Commits, in its own transaction, a state change seen on the service (e.g. SUBMITTED to SUCCEEDED). */
    public boolean transitionNow(long runId, String seqHash, JobState from, JobState to, String jobStatus, String error) {
        Boolean ok = ownTransaction.execute(s -> transition(runId, seqHash, from, to, jobStatus, error));
        return Boolean.TRUE.equals(ok);
    }

    public boolean transition(long runId, String seqHash, JobState from, JobState to, String jobStatus, String error) {
        return jdbc.sql("UPDATE MSA_JOB SET STATE = ?, JOB_STATUS = COALESCE(?, JOB_STATUS), ERROR = ?, "
                        + "FINISHED_AT = CASE WHEN ? THEN ? ELSE FINISHED_AT END, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE = ?")
                .params(to.name(), jobStatus, error, to != JobState.SUBMITTED && to != JobState.SUBMITTING, now(), now(),
                        runId, seqHash, from.name())
                .update() == 1;
    }

    /** Jobs in any of {@code states}, oldest submission first. One indexed query per state (H2 scans on IN lists). */
    public List<MsaJobRow> jobsInState(long runId, Collection<JobState> states) {
        List<MsaJobRow> rows = new java.util.ArrayList<>();
        for (JobState state : states) {
            rows.addAll(jdbc.sql("SELECT * FROM MSA_JOB WHERE RUN_ID = ? AND STATE = ?").params(runId, state.name())
                    .query(Ledger::jobRow).list());
        }
        rows.sort(java.util.Comparator.comparing(MsaJobRow::submittedAt, java.util.Comparator.nullsLast(
                java.util.Comparator.naturalOrder())).thenComparing(MsaJobRow::seqHash));
        return rows;
    }

    public int countJobsInState(long runId, Collection<JobState> states) {
        int n = 0;
        for (JobState state : states) {
            n += jdbc.sql("SELECT COUNT(*) FROM MSA_JOB WHERE RUN_ID = ? AND STATE = ?").params(runId, state.name())
                    .query(Integer.class).single();
        }
        return n;
    }

    // ---- records -------------------------------------------------------------------------------------------

    public void insertRecord(RecordRow r) {
        jdbc.sql("INSERT INTO SEED_RECORD (RUN_ID, RECORD_NO, LINE_NO, SEED_ID, SEQ_HASH, STATE, JOB_ID, ATTEMPTS, FILE_NAME, "
                        + "CHECKSUM, ERROR, WARNING, CREATED_AT, UPDATED_AT) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                .params(r.runId(), r.recordNo(), r.line(), r.seedId(), r.seqHash(), r.state().name(), r.jobId(),
                        r.attempts(), r.fileName(), r.checksum(), clip(r.error(), 2000), clip(r.warning(), 1000), now(), now())
                .update();
    }

    public boolean recordExists(long runId, long recordNo) {
        return jdbc.sql("SELECT COUNT(*) FROM SEED_RECORD WHERE RUN_ID = ? AND RECORD_NO = ?").params(runId, recordNo)
                .query(Integer.class).single() > 0;
    }

    /** The sequence hash of an earlier accepted record with this id, if any (for the repeated-id rule). */
    public Optional<RecordRow> firstAcceptedWithId(long runId, String seedId) {
        return jdbc.sql("SELECT * FROM SEED_RECORD WHERE RUN_ID = ? AND SEED_ID = ? AND SEQ_HASH IS NOT NULL "
                        + "ORDER BY RECORD_NO FETCH FIRST 1 ROWS ONLY")
                .params(runId, seedId).query(Ledger::recordRow).optional();
    }

    /** A file written for this sequence by another run since {@code since}, newest first (for reuse across nights). */
    public List<ReusableFile> reusableFiles(long runId, String seqHash, Instant since) {
        return jdbc.sql("SELECT r.FILE_NAME, m.OUTPUT_DIR, r.JOB_ID FROM SEED_RECORD r JOIN MSA_RUN m ON m.RUN_ID = r.RUN_ID "
                        + "WHERE r.SEQ_HASH = ? AND r.STATE = 'SUCCESS' AND r.RUN_ID <> ? AND r.UPDATED_AT >= ? "
                        + "ORDER BY r.UPDATED_AT DESC FETCH FIRST 5 ROWS ONLY")
                .params(seqHash, runId, ts(since))
                .query((rs, i) -> new ReusableFile(java.nio.file.Path.of(rs.getString("OUTPUT_DIR")).resolve(rs.getString("FILE_NAME")),
                        rs.getString("JOB_ID")))
                .list();
    }

    /** An alignment file an earlier run wrote, and the job that computed it. */
    public record ReusableFile(java.nio.file.Path path, String jobId) {
    }

    public boolean fileNameTaken(long runId, String fileName) {
        return jdbc.sql("SELECT COUNT(*) FROM SEED_RECORD WHERE RUN_ID = ? AND FILE_NAME = ?").params(runId, fileName)
                .query(Integer.class).single() > 0;
    }

    public List<RecordRow> recordsOfHash(long runId, String seqHash) {
        return jdbc.sql("SELECT * FROM SEED_RECORD WHERE RUN_ID = ? AND SEQ_HASH = ? ORDER BY RECORD_NO")
                .params(runId, seqHash).query(Ledger::recordRow).list();
    }

    /** Copies a job's id, attempts and (when final) outcome onto every record that follows it. */
    public void updateRecordsOfHash(long runId, String seqHash, RecordState state, String jobId, int attempts, String error) {
        jdbc.sql("UPDATE SEED_RECORD SET STATE = ?, JOB_ID = ?, ATTEMPTS = ?, ERROR = ?, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND SEQ_HASH = ? AND STATE <> 'SUCCESS'")
                .params(state.name(), jobId, attempts, clip(error, 2000), now(), runId, seqHash).update();
    }

    public void markRecordWritten(long runId, long recordNo, String jobId, int attempts, String checksum) {
        jdbc.sql("UPDATE SEED_RECORD SET STATE = 'SUCCESS', JOB_ID = ?, ATTEMPTS = ?, CHECKSUM = ?, ERROR = NULL, UPDATED_AT = ? "
                        + "WHERE RUN_ID = ? AND RECORD_NO = ?")
                .params(jobId, attempts, checksum, now(), runId, recordNo).update();
    }

    public void markRecordError(long runId, long recordNo, String error) {
        jdbc.sql("UPDATE SEED_RECORD SET STATE = 'ERROR', ERROR = ?, UPDATED_AT = ? WHERE RUN_ID = ? AND RECORD_NO = ?")
                .params(clip(error, 2000), now(), runId, recordNo).update();
    }

    /** Streams every record of a run in input order to {@code sink} (no list of 100,000 rows in memory). */
    public void forEachRecord(long runId, Consumer<RecordRow> sink) {
        jdbc.sql("SELECT * FROM SEED_RECORD WHERE RUN_ID = ? ORDER BY RECORD_NO").param(runId)
                .query((RowCallbackHandler) rs -> sink.accept(recordRow(rs, 0)));
    }

    public Map<String, Long> countRecordsByState(long runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT STATE, COUNT(*) AS N FROM SEED_RECORD WHERE RUN_ID = ? GROUP BY STATE ORDER BY STATE").param(runId)
                .query((RowCallbackHandler) rs -> counts.put(rs.getString("STATE"), rs.getLong("N")));
        return counts;
    }

    // ---- mapping -------------------------------------------------------------------------------------------

    private static MsaJobRow jobRow(ResultSet rs, int i) throws SQLException {
        return new MsaJobRow(rs.getLong("RUN_ID"), rs.getString("SEQ_HASH"), rs.getString("SEQUENCE"),
                JobState.valueOf(rs.getString("STATE")), rs.getString("JOB_ID"), rs.getString("JOB_STATUS"),
                rs.getInt("ATTEMPTS"), instant(rs, "INTENT_AT"), instant(rs, "SUBMITTED_AT"), instant(rs, "FINISHED_AT"),
                rs.getString("ERROR"));
    }

    private static RecordRow recordRow(ResultSet rs, int i) throws SQLException {
        return new RecordRow(rs.getLong("RUN_ID"), rs.getLong("RECORD_NO"), rs.getLong("LINE_NO"), rs.getString("SEED_ID"),
                rs.getString("SEQ_HASH"), RecordState.valueOf(rs.getString("STATE")), rs.getString("JOB_ID"),
                rs.getInt("ATTEMPTS"), rs.getString("FILE_NAME"), rs.getString("CHECKSUM"), rs.getString("ERROR"),
                rs.getString("WARNING"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static OffsetDateTime ts(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

}
