package io.msabatch.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's database, in the same database (and transactions) as Spring Batch's job repository: what msa-batch
 * knows about every run, input record and MSA job. This class holds what spans runs (creating a run, the jobs a
 * crashed process left in doubt, the job ids known at all); {@link #run(long)} gives the verbs of one run.
 * Thread-safe.
 */
@Component
public class Ledger {

    /** Values per IN list: keeps statements small on both databases. */
    static final int IN_CHUNK = 500;

    final JdbcClient jdbc;
    final JdbcTemplate template;
    final TransactionTemplate ownTransaction;
    final Clock clock;
    /** H2 (embedded, commits reach its file within WRITE_DELAY) rather than PostgreSQL (every commit durable). */
    private final boolean h2;
    private final DataSource dataSource;

    public Ledger(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
        this.dataSource = dataSource;
        this.h2 = isH2(dataSource);
        this.template = new JdbcTemplate(dataSource);
        this.template.setFetchSize(1000); // PostgreSQL streams a cursor only with a fetch size (inside a transaction)
        this.jdbc = JdbcClient.create(template);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    private static boolean isH2(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open the state database: " + e.getMessage(), e);
        }
    }

    /**
     * Makes every commit so far survive a kill of this process before it returns. PostgreSQL's commits already do;
     * H2 writes committed changes to its file up to WRITE_DELAY (500 ms) later, so on H2 this is a CHECKPOINT (the
     * committed pages written to the file, where a killed process cannot lose them). Called after the write-ahead
     * intents of a batch of POSTs, which must not be lost; every other commit may be: what it recorded is found again
     * (a job by its id or by listing, a file by its checksum) by the next run. The CHECKPOINT goes through a
     * connection of its own: on the caller's, inside a chunk's transaction, H2 would commit that transaction with it.
     */
    void durable() {
        if (!h2) {
            return;
        }
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException(
                    "cannot make the write-ahead intents durable (H2 CHECKPOINT): " + e.getMessage(), e);
        }
    }

    /** The verbs of one run; cheap, stateless. */
    public RunLedger run(long runId) {
        return new RunLedger(this, runId);
    }

    /** What identifies a run besides its Spring Batch job instance: for reports, status and reuse across runs. */
    public record RunInfo(long runId, String pipeline, String runDate, String outputDir, String inputPath,
                          String inputSha256, Instant createdAt, Long expectedRecords) {
    }

    /** Creates the run's row on its first execution (later executions of the same run keep it). */
    public void ensureRun(long runId, String pipeline, String runDate, String outputDir, String inputPath,
                          String inputSha256) {
        ensureRun(runId, pipeline, runDate, outputDir, inputPath, inputSha256, null);
    }

    public void ensureRun(long runId, String pipeline, String runDate, String outputDir, String inputPath,
                          String inputSha256, Long expectedRecords) {
        ownTransaction.executeWithoutResult(s -> {
            int n = jdbc.sql("SELECT COUNT(*) FROM MSA_RUN WHERE RUN_ID = ?").param(runId).query(Integer.class).single();
            if (n == 0) {
                jdbc.sql("INSERT INTO MSA_RUN (RUN_ID, PIPELINE, RUN_DATE, OUTPUT_DIR, SUBMISSION_DONE, CREATED_AT, "
                                + "INPUT_PATH, INPUT_SHA256, EXPECTED_RECORDS) VALUES (?,?,?,?,?,?,?,?,?)")
                        .params(runId, pipeline, runDate, outputDir, false, now(), inputPath, inputSha256, expectedRecords)
                        .update();
            }
        });
    }

    public Optional<RunInfo> runInfo(long runId) {
        return jdbc.sql("SELECT * FROM MSA_RUN WHERE RUN_ID = ?").param(runId).query(Ledger::runInfo).optional();
    }

    /**
     * When a run of this pipeline last completed with every record's file (the end of its last execution), or null:
     * carried into each process's metrics, so a later run that is incomplete, or that finds its night done and does
     * nothing, does not push a last success of 0 over it.
     */
    public Instant lastFullSuccess(String pipeline) {
        return jdbc.sql("SELECT MAX(e.END_TIME) FROM BATCH_JOB_EXECUTION e JOIN MSA_RUN r ON r.RUN_ID = e.JOB_INSTANCE_ID "
                        + "WHERE r.PIPELINE = ? AND e.STATUS = 'COMPLETED' AND NOT EXISTS (SELECT 1 FROM SEED_RECORD s "
                        + "WHERE s.RUN_ID = r.RUN_ID AND s.STATE <> 'SUCCESS')")
                .param(pipeline).query((rs, i) -> {
                    java.sql.Timestamp t = rs.getTimestamp(1);
                    return t == null ? null : t.toInstant();
                }).optional().orElse(null);
    }

    /** The runs of a pipeline, newest first. */
    public List<RunInfo> runsOf(String pipeline) {
        return jdbc.sql("SELECT * FROM MSA_RUN WHERE PIPELINE = ? ORDER BY RUN_ID DESC").param(pipeline)
                .query(Ledger::runInfo).list();
    }

    /**
     * Jobs of this pipeline's runs that may have been sent without their answer being recorded: write-ahead intents
     * (SUBMITTING) a dead process left, and uncertain answers (IN_DOUBT). Only the process holding the pipeline's
     * lock may call this (another live process's intents are not in doubt).
     */
    public List<MsaJobRow> doubtsOf(String pipeline) {
        List<MsaJobRow> rows = new ArrayList<>();
        for (RunInfo r : runsOf(pipeline)) {
            RunLedger run = run(r.runId());
            rows.addAll(run.jobsIn(JobState.SUBMITTING));
            rows.addAll(run.jobsIn(JobState.IN_DOUBT));
        }
        return rows;
    }

    /** Which of {@code jobIds} the ledger already holds (in any run): those are no reconciliation candidates. */
    public Set<String> knownJobIds(Collection<String> jobIds) {
        Set<String> known = new HashSet<>();
        for (List<String> part : chunks(jobIds)) {
            known.addAll(jdbc.sql("SELECT JOB_ID FROM MSA_JOB WHERE JOB_ID IN (:ids)").param("ids", part)
                    .query(String.class).list());
        }
        return known;
    }

    // ---- shared helpers --------------------------------------------------------------------------------------

    static <T> List<List<T>> chunks(Collection<T> values) {
        List<List<T>> parts = new ArrayList<>();
        List<T> current = new ArrayList<>();
        for (T v : values) {
            current.add(v);
            if (current.size() == IN_CHUNK) {
                parts.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /**
     * {@code (VALUES (?),(?),...) v(k)}, for looking up many keys at once through an index whose leading columns are
     * fixed: H2 uses only the leading column of an index for {@code col IN (...)} on a later one (a scan of the run),
     * but joins a VALUES list row by row through the whole index.
     */
    static String values(int n) {
        StringBuilder sb = new StringBuilder("(VALUES ");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "(?)" : ",(?)");
        }
        return sb.append(") v(k)").toString();
    }

    OffsetDateTime now() {
        return ts(clock.instant());
    }

    static OffsetDateTime ts(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static MsaJobRow jobRow(ResultSet rs, int i) throws SQLException {
        return new MsaJobRow(rs.getLong("RUN_ID"), rs.getString("SEQ_HASH"), rs.getString("SEQUENCE"),
                JobState.valueOf(rs.getString("STATE")), rs.getString("JOB_ID"), rs.getString("JOB_STATUS"),
                rs.getInt("ATTEMPTS"), rs.getInt("SUBMISSIONS"), instant(rs, "INTENT_AT"), instant(rs, "SUBMITTED_AT"),
                instant(rs, "CREATED_AT"), instant(rs, "FINISHED_AT"), Origin.valueOf(rs.getString("ORIGIN")),
                rs.getString("ERROR"));
    }

    static RecordRow recordRow(ResultSet rs, int i) throws SQLException {
        String origin = rs.getString("ORIGIN");
        return new RecordRow(rs.getLong("RUN_ID"), rs.getLong("RECORD_NO"), rs.getLong("LINE_NO"), rs.getString("SEED_ID"),
                rs.getString("SEQ_HASH"), RecordState.valueOf(rs.getString("STATE")), rs.getString("JOB_ID"),
                rs.getInt("ATTEMPTS"), rs.getString("FILE_NAME"), rs.getString("CHECKSUM"), rs.getString("ERROR"),
                rs.getString("WARNING"), origin == null ? null : Origin.valueOf(origin));
    }

    private static RunInfo runInfo(ResultSet rs, int i) throws SQLException {
        return new RunInfo(rs.getLong("RUN_ID"), rs.getString("PIPELINE"), rs.getString("RUN_DATE"),
                rs.getString("OUTPUT_DIR"), rs.getString("INPUT_PATH"), rs.getString("INPUT_SHA256"),
                instant(rs, "CREATED_AT"), (Long) rs.getObject("EXPECTED_RECORDS", Long.class));
    }
}
