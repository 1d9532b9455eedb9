package io.msabatch.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Jobs and results in the emulator's H2 database. Thread-safe (each call is its own statement). */
@Repository
class JobStore {

    private static final String COLUMNS = "job_id, username, job_type, status, created_us, start_us, end_us,"
            + " progress_counter, num_records, sequence_length, failure_message";
    private static final RowMapper<JobRecord> MAPPER = (rs, i) -> new JobRecord(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getLong(5), (Long) rs.getObject(6, Long.class),
            (Long) rs.getObject(7, Long.class), rs.getInt(8), (Integer) rs.getObject(9, Integer.class), rs.getInt(10),
            rs.getString(11));

    private final JdbcTemplate jdbc;

    JobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(JobRecord job, String seed, String rawSeed, String argsJson) {
        jdbc.update("INSERT INTO emulator_job (job_id, username, job_type, status, created_us, progress_counter,"
                + " sequence_length, seed, seed_sha256, raw_seed, args) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                job.jobId(), job.username(), job.jobType(), job.status(), job.createdUs(), job.progressCounter(),
                job.sequenceLength(), seed, sha256(seed), rawSeed, argsJson);
    }

    Optional<JobRecord> find(String username, String jobId) {
        List<JobRecord> rows = jdbc.query("SELECT " + COLUMNS + " FROM emulator_job WHERE job_id = ? AND username = ?",
                MAPPER, jobId, username);
        return rows.stream().findFirst();
    }

    Optional<JobRecord> find(String jobId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM emulator_job WHERE job_id = ?", MAPPER, jobId).stream()
                .findFirst();
    }

    String seed(String jobId) {
        return jdbc.queryForObject("SELECT seed FROM emulator_job WHERE job_id = ?", String.class, jobId);
    }

    String rawSeed(String jobId) {
        return jdbc.queryForObject("SELECT raw_seed FROM emulator_job WHERE job_id = ?", String.class, jobId);
    }

    String args(String jobId) {
        return jdbc.queryForObject("SELECT args FROM emulator_job WHERE job_id = ?", String.class, jobId);
    }

    Optional<String> result(String jobId) {
        return jdbc.queryForList("SELECT msa FROM emulator_result WHERE job_id = ?", String.class, jobId).stream()
                .findFirst();
    }

    /** A user's jobs, newest first; null filters are not applied. */
    List<JobRecord> list(String username, String status, String jobType, Long createdAfterUs, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM emulator_job WHERE username = ?");
        List<Object> args = new ArrayList<>();
        args.add(username);
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (jobType != null) {
            sql.append(" AND job_type = ?");
            args.add(jobType);
        }
        if (createdAfterUs != null) {
            sql.append(" AND created_us > ?");
            args.add(createdAfterUs);
        }
        sql.append(" ORDER BY seq DESC LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        return jdbc.query(sql.toString(), MAPPER, args.toArray());
    }

    void markRunning(String jobId, long startUs) {
        jdbc.update("UPDATE emulator_job SET status = 'RUNNING', start_us = ?, progress_counter = 10 WHERE job_id = ?",
                startUs, jobId);
    }

    void markStatus(String jobId, String status, int progress) {
        jdbc.update("UPDATE emulator_job SET status = ?, progress_counter = ? WHERE job_id = ?", status, progress,
                jobId);
    }

    void saveResult(String jobId, String msa) {
        jdbc.update("MERGE INTO emulator_result (job_id, msa) KEY (job_id) VALUES (?, ?)", jobId, msa);
    }

    void markSuccess(String jobId, long endUs, int numRecords) {
        jdbc.update("UPDATE emulator_job SET status = 'SUCCESS', end_us = ?, progress_counter = 100, num_records = ?"
                + " WHERE job_id = ?", endUs, numRecords, jobId);
    }

    void markFailure(String jobId, long endUs, String message) {
        jdbc.update("UPDATE emulator_job SET status = 'FAILURE', end_us = ?, failure_message = ? WHERE job_id = ?",
                endUs, message, jobId);
    }

    /** Jobs a previous run left unfinished, oldest first, reset to PENDING. */
    List<String[]> resetUnfinished() {
        List<String[]> rows = jdbc.query("SELECT job_id, username FROM emulator_job"
                + " WHERE status IN ('PENDING', 'RUNNING', 'RETRYING') ORDER BY seq",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)});
        jdbc.update("UPDATE emulator_job SET status = 'PENDING', start_us = NULL, progress_counter = 0"
                + " WHERE status IN ('RUNNING', 'RETRYING')");
        return rows;
    }

    long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM emulator_job", Long.class);
    }

    long distinctSeeds() {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT seed_sha256) FROM emulator_job", Long.class);
    }

    Map<String, Long> countByStatus() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : new String[] {"PENDING", "RUNNING", "RETRYING", "SUCCESS", "FAILURE", "CANCELED"}) {
            m.put(s, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM emulator_job GROUP BY status",
                rs -> {
                    m.put(rs.getString(1), rs.getLong(2));
                });
        return m;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
