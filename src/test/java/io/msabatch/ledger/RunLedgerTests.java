package io.msabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.msabatch.ledger.RunLedger.Answer;
import io.msabatch.ledger.RunLedger.Intent;
import io.msabatch.ledger.RunLedger.Written;
import io.msabatch.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The run ledger's life-cycle verbs, each moving a job or record from the state it expects and refusing (changing
 * nothing) from any other. Every test has a new H2 file migrated by the project's own migrations, and a clock that
 * stands still until the test moves it, so the times the ledger records can be told apart without sleeping.
 */
class RunLedgerTests {

    private static final long RUN = 7;
    private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);
    private static final String D = "d".repeat(64);
    private static final String E = "e".repeat(64);
    private static final MsaStats QUALITY = new MsaStats(12, 3.25, false, 0.875, 0.5, "shallow", "{\"bins\":[3,9,12]}");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private JdbcDataSource ds;
    /** Held open for the test: without it H2 closes and reopens the file around every statement. */
    private Connection keeper;
    private Ledger ledger;
    private RunLedger run;
    private JdbcClient sql;

    @BeforeEach
    void migrateANewStateDatabase() throws SQLException {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=0");
        ds.setUser("sa");
        keeper = ds.getConnection();
        Flyway.configure().dataSource(ds).locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2")
                .load().migrate();
        ledger = new Ledger(ds, new DataSourceTransactionManager(ds), clock);
        ledger.ensureRun(RUN, "nightly", "2026-12-01", dir.resolve("out").toString(), "/data/in.fasta", "f".repeat(64));
        run = ledger.run(RUN);
        sql = JdbcClient.create(ds);
    }

    @AfterEach
    void closeTheDatabase() throws SQLException {
        keeper.close();
    }

    // ---- inDoubt ---------------------------------------------------------------------------------------------

    @Test
    void sequencesAreKeptBesideTheirJobsAndReadForManyJobsAtOnce() {
        // given: two new jobs, one sent again (its sequence is written once, at its first intent)
        run.intend(List.of(new Intent(A, "MKVLAAG", null), new Intent(B, "MSTNPKP", null)), clock.instant());
        run.unsent(B, "connection refused");
        run.intend(List.of(new Intent(B, "MSTNPKP", JobState.UNSENT)), clock.instant());

        // when
        Map<String, String> sequences = run.sequencesOf(List.of(A, B, C));

        // then: each job's own sequence, none for a hash without a job; job rows of a run list leave them out
        assertThat(sequences).containsExactlyInAnyOrderEntriesOf(Map.of(A, "MKVLAAG", B, "MSTNPKP"));
        assertThat(run.jobsIn(JobState.SUBMITTING)).extracting(MsaJobRow::sequence).containsOnlyNulls();
        assertThat(run.job(B).orElseThrow().sequence()).isEqualTo("MSTNPKP");
    }

    @Test
    void inDoubtKeepsWhenTheUnansweredPostWasSentAndWhy() {
        // given: a write-ahead intent, its POST sent two seconds later
        intend(A);
        Instant attempted = T0.plusSeconds(2);
        clock.advance(Duration.ofMinutes(3));

        // when
        boolean moved = run.inDoubt(A, attempted, "read timed out after 180 s");

        // then
        assertThat(moved).isTrue();
        MsaJobRow job = job(A);
        assertThat(job.state()).isEqualTo(JobState.IN_DOUBT);
        assertThat(job.intentAt()).isEqualTo(attempted);
        assertThat(job.error()).isEqualTo("read timed out after 180 s");
        assertThat(job.jobId()).isNull();
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(jobUpdatedAt(A)).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(run.countIn(JobState.SUBMITTING)).isZero();

        // and: a doubt found again (a process that died left it) stays in doubt with the new reason
        assertThat(run.inDoubt(A, attempted, "left in doubt by a process that is gone")).isTrue();
        assertThat(job(A).state()).isEqualTo(JobState.IN_DOUBT);
        assertThat(job(A).error()).isEqualTo("left in doubt by a process that is gone");
    }

    @Test
    void inDoubtLeavesAJobTheServiceAnsweredOrThatIsToBeSentAgain() {
        // given
        submit(A, "job-1");
        intend(B);
        run.unsent(B, "connection refused");
        Instant aUpdated = jobUpdatedAt(A);
        clock.advance(Duration.ofMinutes(1));

        // when
        boolean a = run.inDoubt(A, clock.instant(), "a late timeout");
        boolean b = run.inDoubt(B, clock.instant(), "a late timeout");
        boolean c = run.inDoubt(C, clock.instant(), "a sequence without a job");

        // then
        assertThat(a).isFalse();
        assertThat(b).isFalse();
        assertThat(c).isFalse();
        MsaJobRow answered = job(A);
        assertThat(answered.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(answered.jobId()).isEqualTo("job-1");
        assertThat(answered.error()).isNull();
        assertThat(answered.intentAt()).isEqualTo(T0);
        assertThat(jobUpdatedAt(A)).isEqualTo(aUpdated);
        assertThat(job(B).state()).isEqualTo(JobState.UNSENT);
        assertThat(job(B).error()).isEqualTo("connection refused");
        assertThat(run.job(C)).isEmpty();
    }

    // ---- unsent ----------------------------------------------------------------------------------------------

    @Test
    void unsentMarksAnIntentOrAnUnfoundDoubtToBeSentAgain() {
        // given: one intent, one doubt
        intend(A);
        intend(B);
        run.inDoubt(B, T0, "read timed out");
        clock.advance(Duration.ofMinutes(2));

        // when
        boolean a = run.unsent(A, "connection refused");
        boolean b = run.unsent(B, "the attempt at " + T0 + " created no job (reconciled)");

        // then
        assertThat(a).isTrue();
        assertThat(b).isTrue();
        assertThat(run.jobsIn(JobState.UNSENT)).extracting(MsaJobRow::seqHash).containsExactlyInAnyOrder(A, B);
        assertThat(job(A).error()).isEqualTo("connection refused");
        assertThat(job(B).error()).isEqualTo("the attempt at " + T0 + " created no job (reconciled)");
        assertThat(jobUpdatedAt(A)).isEqualTo(clock.instant());

        // and: an unsent sequence is intended again, a second attempt
        clock.advance(Duration.ofSeconds(30));
        List<Intent> again = run.intend(List.of(new Intent(A, "MKV", JobState.UNSENT)), clock.instant());
        assertThat(again).extracting(Intent::seqHash).containsExactly(A);
        assertThat(job(A).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(A).attempts()).isEqualTo(2);
        assertThat(job(A).intentAt()).isEqualTo(clock.instant());
    }

    @Test
    void unsentLeavesAJobTheServiceHas() {
        // given: one job in flight, one succeeded
        submit(A, "job-1");
        submit(B, "job-2");
        run.succeeded(B);
        Instant aUpdated = jobUpdatedAt(A);
        clock.advance(Duration.ofMinutes(1));

        // when
        boolean a = run.unsent(A, "a late refusal");
        boolean b = run.unsent(B, "a late refusal");

        // then
        assertThat(a).isFalse();
        assertThat(b).isFalse();
        assertThat(job(A).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(job(A).jobId()).isEqualTo("job-1");
        assertThat(job(A).error()).isNull();
        assertThat(jobUpdatedAt(A)).isEqualTo(aUpdated);
        assertThat(job(B).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(run.countIn(JobState.UNSENT)).isZero();
    }

    // ---- refused ---------------------------------------------------------------------------------------------

    @Test
    void refusedFailsTheJobForGoodAndRejectsTheRecordsWaitingOnIt() {
        // given: a resubmission's intent (the first job failed) with two records waiting, and another sequence's record
        submit(A, "job-1");
        join(1, A);
        join(2, A);
        submit(B, "job-2");
        join(3, B);
        clock.advance(Duration.ofMinutes(10));
        run.intend(List.of(new Intent(A, "MKV", JobState.SUBMITTED)), clock.instant());
        clock.advance(Duration.ofSeconds(1));

        // when
        boolean moved = run.refused(A, JobState.SUBMITTING, "422: the sequence holds an invalid residue");

        // then
        assertThat(moved).isTrue();
        MsaJobRow failed = job(A);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo("422: the sequence holds an invalid residue");
        assertThat(failed.finishedAt()).isEqualTo(clock.instant());
        for (long no : List.of(1L, 2L)) {
            RecordRow r = record(no);
            assertThat(r.state()).isEqualTo(RecordState.REJECTED);
            assertThat(r.error()).isEqualTo("422: the sequence holds an invalid residue");
            assertThat(r.jobId()).as("the resubmission had no job id yet").isNull();
            assertThat(r.attempts()).as("the one submission the service confirmed").isEqualTo(1);
        }
        assertThat(record(3).state()).isEqualTo(RecordState.PENDING);
        assertThat(run.countByState()).containsEntry(RecordState.REJECTED, 2L).containsEntry(RecordState.PENDING, 1L);
    }

    @Test
    void refusedChangesNothingWhenTheJobIsNoLongerWhereTheCallerSawIt() {
        // given: the job was answered, so it is no longer SUBMITTING
        submit(A, "job-1");
        join(1, A);
        Instant updated = jobUpdatedAt(A);
        clock.advance(Duration.ofMinutes(1));

        // when
        boolean moved = run.refused(A, JobState.SUBMITTING, "413: too long");

        // then
        assertThat(moved).isFalse();
        MsaJobRow job = job(A);
        assertThat(job.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(job.error()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(jobUpdatedAt(A)).isEqualTo(updated);
        assertThat(record(1).state()).isEqualTo(RecordState.PENDING);
        assertThat(record(1).error()).isNull();
    }

    // ---- reopen ----------------------------------------------------------------------------------------------

    @Test
    void reopenSendsADoneJobBackToSucceededForARecordThatJoinedLate() {
        // given
        done(A, "job-1", 1);
        Instant finished = job(A).finishedAt();
        clock.advance(Duration.ofHours(1));

        // when
        boolean moved = run.reopen(A);

        // then
        assertThat(moved).isTrue();
        MsaJobRow job = job(A);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.finishedAt()).isEqualTo(finished);
        assertThat(job.jobId()).isEqualTo("job-1");
        assertThat(jobUpdatedAt(A)).isEqualTo(clock.instant());
        assertThat(record(1).state()).isEqualTo(RecordState.SUCCESS);
        // and: with no record waiting, it is DONE again
        assertThat(run.finishIfWritten(A)).isTrue();
        assertThat(job(A).state()).isEqualTo(JobState.DONE);
    }

    @Test
    void reopenRefusesAJobThatIsNotDone() {
        // given: succeeded, failed, in flight
        submit(A, "job-1");
        run.succeeded(A);
        submit(B, "job-2");
        run.end(B, JobState.SUBMITTED, JobState.FAILED, "FAILURE on the service");
        submit(C, "job-3");
        List<Instant> updated = List.of(jobUpdatedAt(A), jobUpdatedAt(B), jobUpdatedAt(C));
        clock.advance(Duration.ofMinutes(1));

        // when
        List<Boolean> moved = List.of(run.reopen(A), run.reopen(B), run.reopen(C));

        // then
        assertThat(moved).containsOnly(false);
        assertThat(List.of(job(A).state(), job(B).state(), job(C).state()))
                .containsExactly(JobState.SUCCEEDED, JobState.FAILED, JobState.SUBMITTED);
        assertThat(List.of(jobUpdatedAt(A), jobUpdatedAt(B), jobUpdatedAt(C))).isEqualTo(updated);
    }

    // ---- adopt -----------------------------------------------------------------------------------------------

    @Test
    void adoptTakesAnEarlierRunsJobInFlightWithItsDates() {
        // given: an earlier run's job in flight, and one it timed out on
        RunLedger earlier = ledger.run(RUN - 1);
        Instant created = T0.minus(Duration.ofHours(2));
        earlier.intend(List.of(new Intent(A, "MKV", null), new Intent(B, "MKW", null)), clock.instant());
        earlier.submitted(List.of(new Answer(A, "job-1", "RUNNING", false, created), new Answer(B, "job-2", "RUNNING", false, created)));
        earlier.end(B, JobState.SUBMITTED, JobState.TIMED_OUT, "gave up after 30 min");
        MsaJobRow flying = earlier.job(A).orElseThrow();
        MsaJobRow timedOut = earlier.job(B).orElseThrow();
        clock.advance(Duration.ofHours(1));

        // when
        run.adopt(A, "MKV", flying, Origin.ADOPTED);
        run.adopt(B, "MKW", timedOut, Origin.ADOPTED);

        // then
        MsaJobRow adopted = job(A);
        assertThat(adopted.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(adopted.origin()).isEqualTo(Origin.ADOPTED);
        assertThat(adopted.jobId()).isEqualTo("job-1");
        assertThat(adopted.jobStatus()).isEqualTo("RUNNING");
        assertThat(adopted.sequence()).isEqualTo("MKV");
        assertThat(adopted.submittedAt()).isEqualTo(T0);
        assertThat(adopted.createdAt()).isEqualTo(created);
        assertThat(adopted.finishedAt()).isNull();
        assertThat(adopted.attempts()).isZero();
        assertThat(adopted.submissions()).isZero();
        assertThat(jobUpdatedAt(A)).isEqualTo(clock.instant());
        MsaJobRow resumed = job(B);
        assertThat(resumed.state()).as("timed out on our side, still in flight on the service").isEqualTo(JobState.SUBMITTED);
        assertThat(resumed.jobId()).isEqualTo("job-2");
        assertThat(resumed.finishedAt()).isNull();
        // and: the earlier run's rows are as they were
        assertThat(earlier.job(A)).contains(flying);
        assertThat(earlier.job(B)).contains(timedOut);
    }

    @Test
    void adoptReusesAFinishedJobWithItsQualityButNotItsPicture() {
        // given: an earlier run's job done and measured, and one done without a measurement
        RunLedger earlier = ledger.run(RUN - 1);
        done(earlier, A, "job-1", 1, QUALITY);
        done(earlier, B, "job-2", 2, null);
        MsaJobRow measured = earlier.job(A).orElseThrow();
        clock.advance(Duration.ofDays(1));

        // when
        run.adopt(A, "MKV", measured, Origin.REUSED);
        run.adopt(B, "MKV", earlier.job(B).orElseThrow(), Origin.REUSED);

        // then
        MsaJobRow reused = job(A);
        assertThat(reused.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(reused.origin()).isEqualTo(Origin.REUSED);
        assertThat(reused.jobId()).isEqualTo("job-1");
        assertThat(reused.finishedAt()).isEqualTo(measured.finishedAt()).isNotEqualTo(clock.instant());
        assertThat(run.isMeasured(A)).isTrue();
        assertThat(quality(RUN, A)).isEqualTo(new MsaStats(12, 3.25, false, 0.875, 0.5, "shallow", null));
        assertThat(run.countPictures()).isZero();
        assertThat(job(B).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(run.isMeasured(B)).isFalse();
    }

    @Test
    void adoptRefusesASequenceThisRunAlreadyHasAndLeavesItsJobAsItWas() {
        // given: an earlier run's measured result, and this run's own job of the same sequence
        RunLedger earlier = ledger.run(RUN - 1);
        done(earlier, A, "job-1", 1, QUALITY);
        submit(A, "job-2");
        MsaJobRow mine = job(A);
        clock.advance(Duration.ofMinutes(1));

        // when / then
        assertThatThrownBy(() -> run.adopt(A, "MKV", earlier.job(A).orElseThrow(), Origin.REUSED))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(job(A)).isEqualTo(mine);
        assertThat(run.isMeasured(A)).as("the earlier run's quality is not copied onto this run's job").isFalse();
    }

    // ---- measured --------------------------------------------------------------------------------------------

    @Test
    void measuredKeepsTheQualityOfAReusedJob() {
        // given: two reused results (an earlier run's, unmeasured); A's file was copied (DONE), B's one record waits
        RunLedger earlier = ledger.run(RUN - 1);
        done(earlier, A, "job-1", 1, null);
        done(earlier, B, "job-2", 2, null);
        run.adopt(A, "MKV", earlier.job(A).orElseThrow(), Origin.REUSED);
        run.adopt(B, "MKV", earlier.job(B).orElseThrow(), Origin.REUSED);
        run.finishIfWritten(A);
        join(3, B);
        assertThat(List.of(job(A).state(), job(B).state())).containsExactly(JobState.DONE, JobState.SUCCEEDED);
        MsaStats other = new MsaStats(1, 1.0, false, 1.0, 1.0, "query-only", null);

        // when
        run.measured(A, QUALITY);
        run.measured(B, other);

        // then
        assertThat(run.isMeasured(A)).isTrue();
        assertThat(quality(RUN, A)).isEqualTo(QUALITY);
        assertThat(quality(RUN, B)).isEqualTo(other);
        assertThat(run.countPictures()).isEqualTo(1);
        assertThat(quality(RUN - 1, A)).as("the earlier run's job").isNull();
    }

    @Test
    void measuredLeavesAJobWithoutAnMsaUnmeasured() {
        // given: an intent, a job in flight, a failed job
        intend(A);
        submit(B, "job-2");
        submit(C, "job-3");
        run.end(C, JobState.SUBMITTED, JobState.FAILED, "FAILURE on the service");

        // when
        run.measured(A, QUALITY);
        run.measured(B, QUALITY);
        run.measured(C, QUALITY);

        // then
        assertThat(List.of(run.isMeasured(A), run.isMeasured(B), run.isMeasured(C))).containsOnly(false);
        assertThat(run.countPictures()).isZero();
        assertThat(List.of(job(A).state(), job(B).state(), job(C).state()))
                .containsExactly(JobState.SUBMITTING, JobState.SUBMITTED, JobState.FAILED);
    }

    // ---- written ---------------------------------------------------------------------------------------------

    @Test
    void writtenMarksOnlyTheNamedPendingRecordsSuccess() {
        // given: a succeeded job with two records waiting
        submit(A, "job-1");
        join(1, A);
        join(2, A);
        run.succeeded(A);
        clock.advance(Duration.ofMinutes(1));

        // when
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));

        // then
        RecordRow written = record(1);
        assertThat(written.state()).isEqualTo(RecordState.SUCCESS);
        assertThat(written.jobId()).isEqualTo("job-1");
        assertThat(written.attempts()).isEqualTo(1);
        assertThat(written.checksum()).isEqualTo("9".repeat(64));
        assertThat(recordUpdatedAt(1)).isEqualTo(clock.instant());
        assertThat(record(2).state()).isEqualTo(RecordState.PENDING);
        assertThat(record(2).checksum()).isNull();
        assertThat(run.waitingRecords(A)).extracting(RecordRow::recordNo).containsExactly(2L);
    }

    @Test
    void recordTransitionsSayWhetherTheyMoved() {
        // given: a succeeded job with two records waiting
        submit(A, "job-1");
        join(1, A);
        join(2, A);
        run.succeeded(A);

        // when / then: each record moves once; a job finishes once
        assertThat(run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))))).isEqualTo(1);
        assertThat(run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))))).isZero();
        assertThat(run.recordFailed(1, "late failure")).as("record 1 already SUCCESS").isFalse();
        assertThat(run.recordFailed(2, "checksum mismatch")).isTrue();
        assertThat(run.finishWritten(A, null)).isTrue();
        assertThat(run.finishWritten(A, null)).as("already DONE").isFalse();
        assertThat(record(1).state()).isEqualTo(RecordState.SUCCESS);
        assertThat(record(2).state()).isEqualTo(RecordState.ERROR);
    }

    @Test
    void writtenLeavesARecordThatAlreadyHasItsOutcome() {
        // given: a record whose file failed, one whose job timed out, one written before
        submit(A, "job-1");
        join(1, A);
        run.recordFailed(1, "checksum mismatch");
        submit(B, "job-2");
        join(2, B);
        run.end(B, JobState.SUBMITTED, JobState.TIMED_OUT, "gave up after 30 min");
        submit(C, "job-3");
        join(3, C);
        run.written(List.of(new Written(3, "job-3", 1, "1".repeat(64))));
        List<Instant> updated = List.of(recordUpdatedAt(1), recordUpdatedAt(2), recordUpdatedAt(3));
        clock.advance(Duration.ofMinutes(1));

        // when
        run.written(List.of(new Written(1, "job-1", 1, "2".repeat(64)), new Written(2, "job-2", 1, "2".repeat(64)),
                new Written(3, "job-x", 5, "2".repeat(64))));

        // then
        assertThat(record(1).state()).isEqualTo(RecordState.ERROR);
        assertThat(record(1).error()).isEqualTo("checksum mismatch");
        assertThat(record(1).checksum()).isNull();
        assertThat(record(2).state()).isEqualTo(RecordState.TIMED_OUT);
        assertThat(record(2).checksum()).isNull();
        assertThat(record(3).checksum()).isEqualTo("1".repeat(64));
        assertThat(record(3).jobId()).isEqualTo("job-3");
        assertThat(List.of(recordUpdatedAt(1), recordUpdatedAt(2), recordUpdatedAt(3))).isEqualTo(updated);
    }

    // ---- recordFailed ----------------------------------------------------------------------------------------

    @Test
    void recordFailedGivesAPendingRecordItsErrorAndStopsItWaiting() {
        // given: a succeeded job with two records waiting
        submit(A, "job-1");
        join(1, A);
        join(2, A);
        run.succeeded(A);
        clock.advance(Duration.ofMinutes(1));

        // when
        run.recordFailed(2, "the MSA's query does not match the sequence");

        // then
        assertThat(record(2).state()).isEqualTo(RecordState.ERROR);
        assertThat(record(2).error()).isEqualTo("the MSA's query does not match the sequence");
        assertThat(recordUpdatedAt(2)).isEqualTo(clock.instant());
        assertThat(record(1).state()).isEqualTo(RecordState.PENDING);
        // and: the job is done once its other record is written
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));
        run.finishWritten(A, null);
        assertThat(job(A).state()).isEqualTo(JobState.DONE);
    }

    @Test
    void recordFailedLeavesAWrittenOrSettledRecordAlone() {
        // given: a written record, and a record whose job failed
        submit(A, "job-1");
        join(1, A);
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));
        submit(B, "job-2");
        join(2, B);
        run.end(B, JobState.SUBMITTED, JobState.FAILED, "FAILURE on the service");
        List<Instant> updated = List.of(recordUpdatedAt(1), recordUpdatedAt(2));
        clock.advance(Duration.ofMinutes(1));

        // when
        run.recordFailed(1, "a late failure");
        run.recordFailed(2, "a late failure");

        // then
        assertThat(record(1).state()).isEqualTo(RecordState.SUCCESS);
        assertThat(record(1).error()).isNull();
        assertThat(record(1).checksum()).isEqualTo("9".repeat(64));
        assertThat(record(2).state()).isEqualTo(RecordState.FAILURE);
        assertThat(record(2).error()).isEqualTo("FAILURE on the service");
        assertThat(List.of(recordUpdatedAt(1), recordUpdatedAt(2))).isEqualTo(updated);
    }

    // ---- finishWritten ---------------------------------------------------------------------------------------

    @Test
    void finishWrittenMakesASucceededJobDoneWithItsQualityKeepingWhenItSucceeded() {
        // given: the service reported SUCCESS a minute in; the record's file is written later
        submit(A, "job-1");
        join(1, A);
        clock.advance(Duration.ofMinutes(1));
        run.succeeded(A);
        Instant succeeded = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));

        // when
        run.finishWritten(A, QUALITY);

        // then
        MsaJobRow job = job(A);
        assertThat(job.state()).isEqualTo(JobState.DONE);
        assertThat(job.finishedAt()).isEqualTo(succeeded);
        assertThat(job.jobStatus()).isEqualTo("SUCCESS");
        assertThat(quality(RUN, A)).isEqualTo(QUALITY);
        assertThat(run.countPictures()).isEqualTo(1);
    }

    @Test
    void finishWrittenTakesAJobInFlightStraightToDone() {
        // given: a job last seen PENDING whose MSA was fetched and written
        submit(A, "job-1");
        join(1, A);
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));
        clock.advance(Duration.ofMinutes(7));

        // when
        run.finishWritten(A, null);

        // then
        MsaJobRow job = job(A);
        assertThat(job.state()).isEqualTo(JobState.DONE);
        assertThat(job.jobStatus()).isEqualTo("SUCCESS");
        assertThat(job.finishedAt()).isEqualTo(clock.instant());
        assertThat(run.isMeasured(A)).isFalse();
    }

    @Test
    void finishWrittenKeepsTheJobSucceededWhileARecordStillWaits() {
        // given: one record written, one that joined while the MSA was written
        submit(A, "job-1");
        join(1, A);
        run.succeeded(A);
        run.written(List.of(new Written(1, "job-1", 1, "9".repeat(64))));
        join(2, A);

        // when
        run.finishWritten(A, QUALITY);

        // then
        assertThat(job(A).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(quality(RUN, A)).isEqualTo(QUALITY);
        // and: once the late record is written the job is DONE, its quality kept when none is given
        run.written(List.of(new Written(2, "job-1", 1, "9".repeat(64))));
        run.finishWritten(A, null);
        assertThat(job(A).state()).isEqualTo(JobState.DONE);
        assertThat(quality(RUN, A)).isEqualTo(QUALITY);
    }

    @Test
    void finishWrittenChangesNothingForAJobThatEndedOrWasNeverAnswered() {
        // given: a canceled job, a done one, an intent
        submit(A, "job-1");
        join(1, A);
        run.end(A, JobState.SUBMITTED, JobState.CANCELED, "canceled on the service");
        done(B, "job-2", 2);
        intend(C);
        MsaJobRow canceled = job(A);
        MsaJobRow done = job(B);
        MsaJobRow intent = job(C);
        List<Instant> updated = List.of(jobUpdatedAt(A), jobUpdatedAt(B), jobUpdatedAt(C));
        clock.advance(Duration.ofMinutes(1));

        // when
        run.finishWritten(A, QUALITY);
        run.finishWritten(B, QUALITY);
        run.finishWritten(C, QUALITY);

        // then
        assertThat(List.of(job(A), job(B), job(C))).containsExactly(canceled, done, intent);
        assertThat(List.of(jobUpdatedAt(A), jobUpdatedAt(B), jobUpdatedAt(C))).isEqualTo(updated);
        assertThat(List.of(run.isMeasured(A), run.isMeasured(B), run.isMeasured(C))).containsOnly(false);
        assertThat(record(1).state()).isEqualTo(RecordState.CANCELED);
    }

    // ---- lockJobs --------------------------------------------------------------------------------------------

    @Test
    void lockJobsHoldsItsRowsUntilTheTransactionEnds() throws SQLException {
        // given
        submit(A, "job-1");
        submit(B, "job-2");
        submit(C, "job-3");
        TransactionTemplate chunk = new TransactionTemplate(new DataSourceTransactionManager(ds));
        try (Connection other = ds.getConnection()) {
            List<String> freeInside = new ArrayList<>();

            // when: a chunk locks A and B (in any order, twice, with a sequence that has no job yet)
            chunk.executeWithoutResult(s -> {
                run.lockJobs(List.of(B, D, A, B));
                freeInside.addAll(unlockedJobs(other));
            });

            // then: another session could take only C meanwhile, and every row once the chunk ended
            assertThat(freeInside).containsExactly(C);
            assertThat(unlockedJobs(other)).containsExactly(A, B, C);
        }
        assertThat(run.job(D)).isEmpty();
    }

    // ---- endedWithWaitingRecords -----------------------------------------------------------------------------

    @Test
    void endedWithWaitingRecordsFindsEndedJobsThatARecordStillWaitsOn() {
        // given: a done job and a failed one, each with a record a writer inserted PENDING having read the job unfinished
        done(A, "job-1", 1);
        submit(B, "job-2");
        run.end(B, JobState.SUBMITTED, JobState.FAILED, "FAILURE on the service");
        insertPendingRecord(RUN, 2, A);
        insertPendingRecord(RUN, 3, B);
        // and: a job in flight with a waiting record, a done one with none, another run's done job of E
        submit(C, "job-3");
        join(4, C);
        done(D, "job-4", 5);
        done(ledger.run(RUN + 1), E, "job-5", 6, null);
        insertPendingRecord(RUN, 6, E);

        // when
        List<MsaJobRow> stranded = run.endedWithWaitingRecords();

        // then
        assertThat(stranded).extracting(MsaJobRow::seqHash, MsaJobRow::state)
                .containsExactlyInAnyOrder(tuple(A, JobState.DONE), tuple(B, JobState.FAILED));
        // and: once handled as the collect planner does (reopen the done one, end the failed one again) none is left
        assertThat(run.reopen(A)).isTrue();
        assertThat(run.end(B, JobState.FAILED, JobState.FAILED, job(B).error())).isTrue();
        assertThat(record(3).state()).isEqualTo(RecordState.FAILURE);
        assertThat(run.endedWithWaitingRecords()).isEmpty();
    }

    // ---- markSubmissionDone ----------------------------------------------------------------------------------

    @Test
    void markSubmissionDoneFlagsItsOwnRunOnlyAndStaysDone() {
        // given
        ledger.ensureRun(RUN + 1, "nightly", "2026-12-02", dir.resolve("out2").toString(), "/data/in.fasta", "f".repeat(64));
        assertThat(run.submissionDone()).isFalse();

        // when: marked twice (a restarted step ends its submission again)
        run.markSubmissionDone();
        run.markSubmissionDone();

        // then
        assertThat(run.submissionDone()).isTrue();
        assertThat(ledger.run(RUN + 1).submissionDone()).isFalse();
        // and: a later execution of the same run keeps the flag
        ledger.ensureRun(RUN, "nightly", "2026-12-01", dir.resolve("out").toString(), "/data/in.fasta", "f".repeat(64));
        assertThat(run.submissionDone()).isTrue();
        // and: a run the ledger does not know gets no row
        ledger.run(99).markSubmissionDone();
        assertThat(ledger.runInfo(99)).isEmpty();
        assertThat(ledger.run(99).submissionDone()).isFalse();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void intend(String hash) {
        assertThat(run.intend(List.of(new Intent(hash, "MKV", null)), clock.instant())).hasSize(1);
    }

    /** A job the service answered (PENDING), created on the service a second before the intent. */
    private void submit(String hash, String jobId) {
        intend(hash);
        assertThat(run.submitted(List.of(new Answer(hash, jobId, "PENDING", false, clock.instant().minusSeconds(1))))).isEqualTo(1);
    }

    private void done(String hash, String jobId, long recordNo) {
        done(run, hash, jobId, recordNo, null);
    }

    /** A job whose one record's file is written: DONE, with {@code q} as its quality when given. */
    private void done(RunLedger in, String hash, String jobId, long recordNo, MsaStats q) {
        in.intend(List.of(new Intent(hash, "MKV", null)), clock.instant());
        in.submitted(List.of(new Answer(hash, jobId, "SUCCESS", true, clock.instant())));
        in.join(List.of(pending(in.runId(), recordNo, hash)));
        in.written(List.of(new Written(recordNo, jobId, 1, "0".repeat(64))));
        in.finishWritten(hash, q);
        assertThat(in.job(hash).orElseThrow().state()).isEqualTo(JobState.DONE);
    }

    private void join(long recordNo, String hash) {
        run.join(List.of(pending(RUN, recordNo, hash)));
    }

    private static RecordRow pending(long runId, long recordNo, String hash) {
        return new RecordRow(runId, recordNo, recordNo * 2, "P" + recordNo, hash, RecordState.PENDING, null, 0,
                "P" + recordNo + ".a3m", null, null, null, Origin.SUBMITTED);
    }

    /** A record inserted PENDING without join's look at its job (what a writer that read the job earlier leaves). */
    private void insertPendingRecord(long runId, long recordNo, String hash) {
        sql.sql("INSERT INTO SEED_RECORD (RUN_ID, RECORD_NO, LINE_NO, SEED_ID, SEQ_HASH, STATE, ATTEMPTS, FILE_NAME, "
                        + "FILE_KEY, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?)")
                .params(runId, recordNo, recordNo * 2, "P" + recordNo, hash, "P" + recordNo + ".a3m",
                        "p" + recordNo + ".a3m", Ledger.ts(clock.instant()), Ledger.ts(clock.instant()))
                .update();
        sql.sql("INSERT INTO SEED_LOOKUP (RUN_ID, RECORD_NO, SEQ_HASH, SEED_ID, FILE_KEY) VALUES (?, ?, ?, ?, ?)")
                .params(runId, recordNo, hash, "P" + recordNo, "p" + recordNo + ".a3m").update();
    }

    private MsaJobRow job(String hash) {
        return run.job(hash).orElseThrow();
    }

    private RecordRow record(long recordNo) {
        List<RecordRow> found = new ArrayList<>();
        run.forEachRecord(r -> {
            if (r.recordNo() == recordNo) {
                found.add(r);
            }
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private Instant jobUpdatedAt(String hash) {
        return sql.sql("SELECT UPDATED_AT FROM MSA_JOB WHERE RUN_ID = ? AND SEQ_HASH = ?").params(RUN, hash)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).single();
    }

    private Instant recordUpdatedAt(long recordNo) {
        return sql.sql("SELECT UPDATED_AT FROM SEED_RECORD WHERE RUN_ID = ? AND RECORD_NO = ?").params(RUN, recordNo)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).single();
    }

    /** A job's stored quality, or null when it has none. */
    private MsaStats quality(long runId, String hash) {
        return sql.sql("SELECT * FROM MSA_JOB WHERE RUN_ID = ? AND SEQ_HASH = ?").params(runId, hash)
                .query((rs, i) -> rs.getObject("N_SEQ") == null ? null
                        : new MsaStats(rs.getInt("N_SEQ"), rs.getDouble("NEFF"), rs.getBoolean("NEFF_ESTIMATED"),
                                rs.getDouble("COVERAGE_MEAN"), rs.getDouble("COVERAGE_MIN"), rs.getString("MSA_WARNING"),
                                rs.getString("PICTURE")))
                .optional().orElse(null);
    }

    /** The run's jobs another session can lock now, without waiting for those it cannot. */
    private static List<String> unlockedJobs(Connection other) {
        try (PreparedStatement s = other.prepareStatement(
                "SELECT SEQ_HASH FROM MSA_JOB WHERE RUN_ID = ? FOR UPDATE SKIP LOCKED")) {
            s.setLong(1, RUN);
            List<String> hashes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getString(1));
                }
            }
            hashes.sort(null);
            return hashes;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
