package io.msabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.ledger.RunLedger.Written;
import io.msabatch.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The progress line's tally of a run's records by state: always what a full count says, at the cost of the records
 * that can have changed (those still waiting and those inserted since), so that a long run's readings do not grow
 * with it. A new H2 file migrated by the project's migrations per test; records go in as the ingest writer puts them
 * (in input order, PENDING or with their outcome) and move as the collect step moves them.
 */
class RecordTallyTests {

    private static final long RUN = 7;
    private static final Instant T0 = Instant.parse("2026-12-03T20:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private Connection keeper;
    private RunLedger run;
    private RunLedger other;

    @BeforeEach
    void migrateANewStateDatabase() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=0");
        ds.setUser("sa");
        keeper = ds.getConnection();
        Flyway.configure().dataSource(ds).locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2")
                .load().migrate();
        Ledger ledger = new Ledger(ds, new DataSourceTransactionManager(ds), clock);
        ledger.ensureRun(RUN, "nightly", "2026-12-03", dir.resolve("out").toString(), "/data/in.fasta", "f".repeat(64));
        ledger.ensureRun(RUN + 1, "other", "2026-12-03", dir.resolve("o").toString(), "/data/o.fasta", "e".repeat(64));
        run = ledger.run(RUN);
        other = ledger.run(RUN + 1);
    }

    @AfterEach
    void closeTheDatabase() throws SQLException {
        keeper.close();
    }

    @Test
    void agreesWithAFullCountAsRecordsArriveAndSettle() {
        // given: a tally read once, before the run has any record
        RecordTally tally = run.tally();
        assertThat(tally.read()).containsEntry(RecordState.PENDING, 0L).containsEntry(RecordState.SUCCESS, 0L);

        // when: records 1-5 arrive waiting, one more rejected, and another run's records beside them
        insert(run, 1, 5, RecordState.PENDING);
        insert(run, 6, 6, RecordState.REJECTED);
        insert(other, 1, 3, RecordState.PENDING);

        // then
        assertThat(tally.read()).isEqualTo(run.countByState()).containsEntry(RecordState.PENDING, 5L)
                .containsEntry(RecordState.REJECTED, 1L);

        // when: two are written, one fails, then three more arrive (one of them with its outcome already)
        run.written(List.of(new Written(2, "job-2", 1, "0".repeat(64)), new Written(4, "job-4", 1, "0".repeat(64))));
        run.recordFailed(1, "checksum mismatch");
        insert(run, 7, 8, RecordState.PENDING);
        insert(run, 9, 9, RecordState.SUCCESS);

        // then: the same as counting every record afresh
        Map<RecordState, Long> read = tally.read();
        assertThat(read).isEqualTo(run.countByState());
        assertThat(read).containsEntry(RecordState.PENDING, 4L).containsEntry(RecordState.SUCCESS, 3L)
                .containsEntry(RecordState.ERROR, 1L).containsEntry(RecordState.REJECTED, 1L);

        // and: a reading with nothing changed changes nothing
        assertThat(tally.read()).isEqualTo(read);
    }

    @Test
    void aLaterReadingAsksOnlyForTheWaitingAndTheNewRecordsEvenBehindAStraggler() {
        // given: 2,000 records, of which record 1 waits all run long (its job is stuck) and the rest are written
        insert(run, 1, 2_000, RecordState.PENDING);
        List<Written> files = new ArrayList<>();
        LongStream.rangeClosed(2, 2_000).forEach(n -> files.add(new Written(n, "job-" + n, 1, "0".repeat(64))));
        run.written(files);
        RecordTally tally = run.tally();
        assertThat(tally.read()).containsEntry(RecordState.PENDING, 1L).containsEntry(RecordState.SUCCESS, 1_999L);
        assertThat(tally.rowsRead()).isEqualTo(2_000);

        // when: ten more records arrive and three of them are written
        insert(run, 2_001, 2_010, RecordState.PENDING);
        run.written(List.of(new Written(2_001, "j", 1, "0".repeat(64)), new Written(2_005, "j", 1, "0".repeat(64)),
                new Written(2_010, "j", 1, "0".repeat(64))));
        Map<RecordState, Long> read = tally.read();

        // then: the counts of the whole run, from the straggler and the ten new records only
        assertThat(read).isEqualTo(run.countByState()).containsEntry(RecordState.PENDING, 8L)
                .containsEntry(RecordState.SUCCESS, 2_002L);
        assertThat(tally.rowsRead()).isEqualTo(11);

        // and: the next reading asks for the eight still waiting, however long the run has grown
        assertThat(tally.read()).isEqualTo(read);
        assertThat(tally.rowsRead()).isEqualTo(8);
    }

    @Test
    void aWaitingRecordLookedUpAgainInBatchesOfManyIsCountedOnceWhenItSettles() {
        // given: 1,200 records waiting (more than one look-up statement holds), read once
        insert(run, 1, 1_200, RecordState.PENDING);
        RecordTally tally = run.tally();
        assertThat(tally.read()).containsEntry(RecordState.PENDING, 1_200L);

        // when: every other one is written
        List<Written> files = new ArrayList<>();
        LongStream.rangeClosed(1, 1_200).filter(n -> n % 2 == 0)
                .forEach(n -> files.add(new Written(n, "job-" + n, 1, "0".repeat(64))));
        run.written(files);

        // then: counted as settled once, and never again
        assertThat(tally.read()).isEqualTo(run.countByState()).containsEntry(RecordState.SUCCESS, 600L)
                .containsEntry(RecordState.PENDING, 600L);
        assertThat(tally.read()).containsEntry(RecordState.SUCCESS, 600L).containsEntry(RecordState.PENDING, 600L);
    }

    /** Records {@code from}..{@code to} of {@code in}, in one batch as the ingest writer inserts them. */
    private static void insert(RunLedger in, long from, long to, RecordState state) {
        List<RecordRow> rows = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            rows.add(new RecordRow(in.runId(), n, n * 2, "S" + n, state == RecordState.REJECTED ? null : "%064d".formatted(n),
                    state, null, 0, state == RecordState.REJECTED ? null : "S" + n + ".a3m", null,
                    state == RecordState.REJECTED ? "bad residue" : null, null,
                    state == RecordState.REJECTED ? null : Origin.SUBMITTED));
        }
        in.join(rows);
    }
}
