package io.msabatch.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.api.Job;
import io.msabatch.api.JobLookup;
import io.msabatch.api.JobNotFoundException;
import io.msabatch.api.JobQuery;
import io.msabatch.api.JobStatus;
import io.msabatch.ledger.JobState;
import io.msabatch.ledger.MsaJobRow;
import io.msabatch.ledger.Origin;
import io.msabatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The waiter's acceptors, delay policy and listing strategy, on a clock the test moves and a service held in memory
 * (statuses the test sets): no sleeping, no HTTP. The real service's wire is covered by the client's tests.
 */
class JobWaiterTests {

    private static final Instant DEADLINE = Instant.parse("2026-12-02T08:00:00Z");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T20:00:00Z"));
    private final FakeService service = new FakeService();
    private final JobWaiter waiter = new JobWaiter(service, clock, Duration.ofMillis(500), Duration.ofSeconds(30), 3,
            Duration.ofSeconds(30), () -> 0.5, DEADLINE, Duration.ofHours(12));

    @Test
    void checksAtOnceThenAfterPollMinWhenJobsFinishedAndLaterTheOlderTheJobsAre() {
        // given
        MsaJobRow a = job("a", clock.instant());
        service.put("a", JobStatus.SUCCESS, clock.instant());

        // when / then: the first check is due at once
        assertThat(waiter.nextCheck(List.of(a))).isBeforeOrEqualTo(clock.instant());
        assertThat(waiter.check(List.of(a))).extracting(Verdict::outcome).containsExactly(Verdict.Outcome.SUCCEEDED);
        // it found work: the next is poll-min later
        assertThat(waiter.nextCheck(List.of(a))).isEqualTo(clock.instant().plusMillis(500));

        // a job 100 s old that is still running: a fifth of its age (20 s), jitter at its middle
        MsaJobRow old = job("old", clock.instant().minusSeconds(100));
        service.put("old", JobStatus.RUNNING, clock.instant().minusSeconds(100));
        assertThat(waiter.check(List.of(old))).isEmpty();
        assertThat(waiter.nextCheck(List.of(old))).isEqualTo(clock.instant().plusSeconds(20));
        // and never more than poll-max
        MsaJobRow ancient = job("ancient", clock.instant().minusSeconds(3600));
        assertThat(waiter.nextCheck(List.of(ancient))).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void mapsStatusesToVerdictsAndWaitsOnAnUnknownOne() {
        List<MsaJobRow> rows = List.of(job("s", clock.instant()), job("f", clock.instant()), job("c", clock.instant()),
                job("u", clock.instant()));
        service.put("s", JobStatus.SUCCESS, clock.instant());
        service.put("f", JobStatus.FAILURE, clock.instant()).failure = "out of memory";
        service.put("c", JobStatus.CANCELED, clock.instant());
        service.put("u", JobStatus.UNKNOWN, clock.instant());

        List<Verdict> verdicts = waiter.check(rows);

        assertThat(verdicts).extracting(v -> v.job().jobId() + ":" + v.outcome())
                .containsExactlyInAnyOrder("s:SUCCEEDED", "f:FAILED", "c:CANCELED");
        assertThat(verdicts).filteredOn(v -> v.job().jobId().equals("f")).singleElement()
                .satisfies(v -> assertThat(v.message()).isEqualTo("out of memory"));
    }

    @Test
    void aJobNotVisibleYetIsWaitedForUntilTheGraceEndsThenItIsGone() {
        // given a job the service does not show (yet)
        MsaJobRow fresh = job("ghost", clock.instant());

        // when / then: within the grace, no verdict
        assertThat(waiter.check(List.of(fresh))).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(waiter.check(List.of(fresh))).isEmpty();
        // after it, gone
        clock.advance(Duration.ofSeconds(2));
        assertThat(waiter.check(List.of(fresh))).extracting(Verdict::outcome).containsExactly(Verdict.Outcome.GONE);
    }

    @Test
    void oneListingServesManyJobsAndOneGetEachServesAFew() {
        List<MsaJobRow> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(job("j" + i, clock.instant().plusMillis(i)));
            service.put("j" + i, i % 2 == 0 ? JobStatus.SUCCESS : JobStatus.RUNNING, clock.instant().plusMillis(i));
        }

        assertThat(waiter.check(many)).hasSize(25);
        assertThat(service.lists).isEqualTo(1);
        assertThat(service.gets).isZero();

        waiter.check(many.subList(0, 2));
        assertThat(service.gets).isEqualTo(2);
    }

    @Test
    void aStragglerLeavesTheWindowSoListingsCostWhatIsInFlightNotWhatTheRunDid() {
        // given: one job the service keeps PENDING for the whole run, then a steady stream of jobs that finish
        List<MsaJobRow> inFlight = new ArrayList<>();
        MsaJobRow straggler = job("straggler", clock.instant());
        service.put("straggler", JobStatus.PENDING, clock.instant());
        inFlight.add(straggler);
        long listedBefore;
        int n = 0;
        for (int round = 0; round < 60; round++) {
            // 150 jobs arrive per round; the previous round's finish
            for (MsaJobRow j : new ArrayList<>(inFlight)) {
                if (!j.jobId().equals("straggler")) {
                    service.jobs.get(j.jobId()).status = JobStatus.SUCCESS;
                }
            }
            for (int i = 0; i < 150; i++, n++) {
                Instant created = clock.instant().plusMillis(i);
                inFlight.add(job("j" + n, created));
                service.put("j" + n, JobStatus.RUNNING, created);
            }
            for (Verdict v : waiter.check(inFlight)) {
                inFlight.remove(v.job());
            }
            clock.advance(Duration.ofSeconds(1));
        }
        listedBefore = service.rowsListed;

        // then: rows listed stay near one per finished job (not the whole hour of jobs per poll), and the straggler
        // was asked for by itself, on its slower schedule
        assertThat(inFlight).contains(straggler);
        assertThat(listedBefore).as("rows listed for %d jobs", n).isLessThan(3L * n);
        // its own schedule: a fifth of its age, so about log(60)/log(1.2) GETs over the 60 checks, never one per check
        assertThat(service.getsOf.getOrDefault("straggler", 0)).isBetween(1, 20);
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    @Test
    void pastTheDeadlineEveryJobInFlightIsTimedOutWithItsLastStatusAndTheServiceIsNotAsked() {
        // given: two jobs in flight, one already finished on the service, the clock past the run's deadline
        MsaJobRow a = job("a", clock.instant());
        MsaJobRow b = job("b", clock.instant());
        service.put("a", JobStatus.RUNNING, clock.instant());
        service.put("b", JobStatus.SUCCESS, clock.instant());
        clock.advance(Duration.between(clock.instant(), DEADLINE).plusMillis(1));

        // when
        List<Verdict> verdicts = waiter.check(List.of(a, b));

        // then
        assertThat(verdicts).extracting(Verdict::outcome).containsOnly(Verdict.Outcome.TIMED_OUT);
        assertThat(verdicts).extracting(v -> v.job().jobId()).containsExactly("a", "b");
        assertThat(verdicts.get(0).message())
                .isEqualTo("gave up after PT12H waiting for job a (last status PENDING) (setting pipeline.deadline)");
        assertThat(service.gets + service.lists).isZero();
    }

    private static MsaJobRow job(String id, Instant created) {
        return new MsaJobRow(1, id + "-hash", null, JobState.SUBMITTED, id, "PENDING", 1, 1, created, created, created,
                null, Origin.SUBMITTED, null);
    }

    /** A service in memory: jobs with statuses the test sets, listings newest first, created-date filter. */
    static final class FakeService implements JobLookup {
        static final class Entry {
            final String id;
            final Instant created;
            JobStatus status;
            String failure;

            Entry(String id, JobStatus status, Instant created) {
                this.id = id;
                this.status = status;
                this.created = created;
            }

            Job job() {
                return new Job(id, "/align/align", status, status.name(), created, null, null, failure, null);
            }
        }

        final Map<String, Entry> jobs = new LinkedHashMap<>();
        final Map<String, Integer> getsOf = new LinkedHashMap<>();
        int gets;
        int lists;
        long rowsListed;

        Entry put(String id, JobStatus status, Instant created) {
            Entry e = new Entry(id, status, created);
            jobs.put(id, e);
            return e;
        }

        @Override
        public Job getJob(String jobId) {
            gets++;
            getsOf.merge(jobId, 1, Integer::sum);
            Entry e = jobs.get(jobId);
            if (e == null) {
                throw new JobNotFoundException("404", "GET /api/v1/jobs/{job_id}", jobId, "Job not found");
            }
            return e.job();
        }

        @Override
        public List<Job> listJobs(JobQuery query) {
            lists++;
            List<Job> out = jobs.values().stream()
                    .filter(e -> query.moreRecentThan() == null || e.created.isAfter(query.moreRecentThan()))
                    .filter(e -> query.status() == null || e.status == query.status())
                    .sorted(Comparator.comparing((Entry e) -> e.created).reversed())
                    .map(Entry::job).toList();
            rowsListed += out.size();
            return out;
        }

        @Override
        public Instant serviceTime(Instant local) {
            return local;
        }

        @Override
        public boolean knowsServiceClock() {
            return true;
        }
    }
}
