package io.msabatch.emulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Reads of jobs and results in the emulator's H2 database (all writes go through {@link JobWriter}). Thread-safe:
 * each call is its own statement.
 */
@Component // not @Repository: no exception-translation proxy around every read
class JobStore {

    static final String COLUMNS = "seq, job_id, username, job_type, status, created_us, start_us, end_us,"
            + " num_records, sequence_length, failure_message, is_seed, msa_file, result_of";
    private static final String J_COLUMNS = COLUMNS.replaceAll("(^|, )", "$1j.");
    static final RowMapper<JobRecord> MAPPER = (rs, i) -> new JobRecord(rs.getLong(1), text(rs.getObject(2)),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), (Long) rs.getObject(7, Long.class),
            (Long) rs.getObject(8, Long.class), (Integer) rs.getObject(9, Integer.class), rs.getInt(10),
            rs.getString(11), rs.getBoolean(12), rs.getString(13), text(rs.getObject(14)));

    private final JdbcTemplate jdbc;

    JobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static String text(Object uuid) {
        return uuid == null ? null : uuid.toString();
    }

    /** The UUID a job id names, or null when it is not a UUID (and so names no job). */
    static UUID uuid(String jobId) {
        if (jobId == null || jobId.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The job if it exists and belongs to {@code username}; another user's job is absent, as an unknown id. */
    Optional<JobRecord> find(String username, String jobId) {
        UUID id = uuid(jobId);
        if (id == null) {
            return Optional.empty();
        }
        List<JobRecord> rows = jdbc.query("SELECT " + COLUMNS + " FROM emulator_job WHERE job_id = ?", MAPPER, id);
        return rows.stream().filter(j -> j.username().equals(username)).findFirst();
    }

    String seed(long seq) {
        return jdbc.queryForObject("SELECT seed FROM emulator_seed WHERE seq = ?", String.class, seq);
    }

    Optional<String> result(String jobId) {
        return jdbc.queryForList("SELECT msa FROM emulator_result WHERE job_id = ?", String.class, uuid(jobId))
                .stream().findFirst();
    }

    /**
     * A user's jobs created in ({@code createdAfterUs}, {@code createdUpToUs}], newest first; null filters are not
     * applied. Reads the (username, created_us) index backwards, so a page costs its offset plus its size.
     */
    List<JobRecord> list(String username, String status, String jobType, Long createdAfterUs, long createdUpToUs,
            int limit, int offset) {
        return jdbc.query(listSql(status != null, jobType != null, createdAfterUs != null), MAPPER,
                listArgs(username, status, jobType, createdAfterUs, createdUpToUs, limit, offset));
    }

    private static Object[] listArgs(String username, String status, String jobType, Long createdAfterUs,
            long createdUpToUs, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        args.add(username);
        args.add(createdUpToUs);
        if (createdAfterUs != null) {
            args.add(createdAfterUs);
        }
        if (status != null) {
            args.add(status);
        }
        if (jobType != null) {
            args.add(jobType);
        }
        args.add(limit);
        args.add(offset);
        return args.toArray();
    }

    static String listSql(boolean status, boolean jobType, boolean after) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM emulator_job WHERE username = ? AND created_us <= ?");
        if (after) {
            sql.append(" AND created_us > ?");
        }
        if (status) {
            sql.append(" AND status = ?");
        }
        if (jobType) {
            sql.append(" AND job_type = ?");
        }
        // username in ORDER BY too: only then does H2 see that the index already gives the order ("index sorted")
        // and stop after offset + limit rows instead of sorting all the user's jobs
        return sql.append(" ORDER BY username DESC, created_us DESC LIMIT ? OFFSET ?").toString();
    }

    /** What earlier jobs of a seed mean for a new submission of it (see {@link Submissions}). */
    record SeedHistory(boolean seen, int byThisUser, JobRecord cached) {
    }

    /**
     * The history of a seed: whether any job had it, how many of {@code username}'s jobs had it (0, 1 or 2 = two
     * or more), and a finished seed job whose result a new job can share (when {@code wantCached}). The key finds
     * candidates, the seed text confirms them.
     */
    SeedHistory history(String seed, String username, boolean wantCached) {
        long key = seedKey(seed);
        // most seeds are new: one probe of the index answers them
        if (jdbc.queryForList("SELECT 1 FROM emulator_seed WHERE seed_key = ? AND seed = ? LIMIT 1", Integer.class,
                key, seed).isEmpty()) {
            return new SeedHistory(false, 0, null);
        }
        int mine = jdbc.queryForList("SELECT 1 FROM emulator_seed WHERE seed_key = ? AND username = ? AND seed = ?"
                + " LIMIT 2", Integer.class, key, username, seed).size();
        JobRecord cached = null;
        if (wantCached) {
            cached = jdbc.query("SELECT " + J_COLUMNS + " FROM emulator_seed s JOIN emulator_job j ON j.seq = s.seq"
                    + " WHERE s.seed_key = ? AND s.seed = ? AND j.is_seed AND j.status = 'SUCCESS' LIMIT 1", MAPPER,
                    key, seed).stream().findFirst().orElse(null);
        }
        return new SeedHistory(true, mine, cached);
    }

    /** Jobs a previous run left unfinished, oldest first, after resetting RUNNING and RETRYING ones to PENDING. */
    List<JobRecord> resetUnfinished() {
        jdbc.update("UPDATE emulator_job SET status = 'PENDING', start_us = NULL WHERE status IN ('RUNNING', 'RETRYING')");
        return jdbc.query("SELECT " + COLUMNS + " FROM emulator_job WHERE status = 'PENDING' ORDER BY seq", MAPPER);
    }

    long maxSeq() {
        return jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) FROM emulator_job", Long.class);
    }

    long maxCreatedUs() {
        return jdbc.queryForObject("SELECT COALESCE(MAX(created_us), 0) FROM emulator_job", Long.class);
    }

    long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM emulator_job", Long.class);
    }

    long cacheHits() {
        return jdbc.queryForObject("SELECT COUNT(result_of) FROM emulator_job", Long.class);
    }

    long distinctSeeds() {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT seed_key) FROM emulator_seed", Long.class);
    }

    /** Seeds a user has more than one job of, counted once per user and seed. */
    long seedsSubmittedMoreThanOnce() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM emulator_seed GROUP BY seed_key, username"
                + " HAVING COUNT(*) > 1)", Long.class);
    }

    Map<String, Long> countByStatus() {
        Map<String, Long> m = new LinkedHashMap<>();
        JobRecord.STATUSES.forEach(s -> m.put(s, 0L));
        jdbc.query("SELECT status, COUNT(*) FROM emulator_job GROUP BY status", rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        });
        return m;
    }

    /** Explains the list query (for the test that proves it reads an index). */
    String explainList(String status, String jobType, Long createdAfterUs) {
        return jdbc.queryForObject("EXPLAIN " + listSql(status != null, jobType != null, createdAfterUs != null),
                String.class, listArgs("someone", status, jobType, createdAfterUs, Long.MAX_VALUE, 100, 0));
    }

    /** The first 8 bytes (big-endian) of the seed's SHA-256: the key its jobs are found by. */
    static long seedKey(String seed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
