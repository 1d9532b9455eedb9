package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema shortcut: Flyway runs on a new database, and a database at the last migration counts as current. */
class SchemaMigrationTests {

    @TempDir
    Path dir;

    @Test
    void latestIsTheHighestMigrationOfTheSchema() throws Exception {
        int highest;
        try (var files = Files.list(Path.of("src/main/resources/db/pipeline/common"))) {
            highest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(SchemaMigration.LATEST).isEqualTo(Integer.toString(highest));
    }

    @Test
    void migratesANewDatabaseOnceAndThenCountsItCurrent() throws Exception {
        // given: a new H2 file
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("state"));
        assertThat(SchemaMigration.current(h2)).isFalse();
        assertThat(SchemaMigration.vendor(h2)).isEqualTo("h2");

        // when
        SchemaMigration.migrateIfBehind(h2);
        SchemaMigration.migrateIfBehind(h2);

        // then: every migration applied once, Spring Batch's tables and the ledger exist
        assertThat(SchemaMigration.current(h2)).isTrue();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT \"version\", \"description\" FROM \"flyway_schema_history\""
                    + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                int expected = 1;
                while (rs.next()) {
                    assertThat(rs.getString(1)).as(rs.getString(2)).isEqualTo(Integer.toString(expected++));
                }
                assertThat(expected - 1).isEqualTo(Integer.parseInt(SchemaMigration.LATEST));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM MSA_JOB WHERE SEQ_HASH = 'x'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void anUpgradeMovesEveryJobsSequenceIntoItsOwnTable() throws Exception {
        // given: a database at migration 7 (sequences inside MSA_JOB) with one job
        JdbcDataSource h2 = databaseAt("7", "old");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO MSA_JOB (RUN_ID, SEQ_HASH, SEQUENCE, STATE, ATTEMPTS, UPDATED_AT) "
                    + "VALUES (3, 'h1', 'MKVLAAGLLL', 'SUBMITTED', 1, CURRENT_TIMESTAMP)");
        }
        assertThat(SchemaMigration.current(h2)).isFalse();

        // when
        SchemaMigration.migrateIfBehind(h2);

        // then: the sequence is in MSA_SEQUENCE, the job row kept, and MSA_JOB has no SEQUENCE column any more
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT SEQUENCE FROM MSA_SEQUENCE WHERE RUN_ID = 3 AND SEQ_HASH = 'h1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("MKVLAAGLLL");
            }
            try (ResultSet rs = s.executeQuery("SELECT STATE FROM MSA_JOB WHERE RUN_ID = 3 AND SEQ_HASH = 'h1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("SUBMITTED");
            }
            try (ResultSet rs = c.getMetaData().getColumns(null, null, "MSA_JOB", "SEQUENCE")) {
                assertThat(rs.next()).as("MSA_JOB.SEQUENCE dropped").isFalse();
            }
        }
    }

    @Test
    void anUpgradeGivesEveryRecordItsLookUpsAndLeavesTheRecordsOnlyTheirKey() throws Exception {
        // given: a database at migration 8 (look-up indexes on SEED_RECORD) with two records of run 3 and one of run 4
        JdbcDataSource h2 = databaseAt("8", "v8");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            for (String values : new String[] {"3, 1, 2, 'P1', 'h1', 'PENDING', 'P1.a3m', 'p1.a3m'",
                    "3, 2, 4, 'P2', 'h2', 'SUCCESS', 'P2.a3m', 'p2.a3m'", "4, 1, 2, 'P1', 'h1', 'PENDING', 'P1.a3m', 'p1.a3m'"}) {
                s.executeUpdate("INSERT INTO SEED_RECORD (RUN_ID, RECORD_NO, LINE_NO, SEED_ID, SEQ_HASH, STATE, FILE_NAME, "
                        + "FILE_KEY, ATTEMPTS, CREATED_AT, UPDATED_AT) VALUES (" + values + ", 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
        }

        // when
        SchemaMigration.migrateIfBehind(h2);

        // then: each record has its look-up row, SEED_RECORD keeps only its primary key, file keys stay unique per run
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT RUN_ID, RECORD_NO, SEQ_HASH, SEED_ID, FILE_KEY FROM SEED_LOOKUP "
                    + "ORDER BY RUN_ID, RECORD_NO")) {
                StringBuilder rows = new StringBuilder();
                while (rs.next()) {
                    rows.append(rs.getLong(1)).append('/').append(rs.getLong(2)).append('/').append(rs.getString(3))
                            .append('/').append(rs.getString(4)).append('/').append(rs.getString(5)).append(' ');
                }
                assertThat(rows.toString().trim()).isEqualTo("3/1/h1/P1/p1.a3m 3/2/h2/P2/p2.a3m 4/1/h1/P1/p1.a3m");
            }
            try (ResultSet rs = s.executeQuery("SELECT INDEX_NAME, INDEX_TYPE_NAME FROM INFORMATION_SCHEMA.INDEXES "
                    + "WHERE TABLE_NAME = 'SEED_RECORD'")) {
                java.util.List<String> types = new java.util.ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(2));
                }
                assertThat(types).containsExactly("PRIMARY KEY");
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO SEED_LOOKUP "
                    + "(RUN_ID, RECORD_NO, FILE_KEY) VALUES (3, 9, 'p1.a3m')")).hasMessageContaining("SEED_LOOKUP_FILE_KEY_UK");
        }
    }

    /** A new H2 file in the test's folder, migrated up to migration {@code version} only. */
    private JdbcDataSource databaseAt(String version, String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve(name));
        org.flywaydb.core.Flyway.configure().dataSource(h2).target(version)
                .locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2").load().migrate();
        return h2;
    }
}
