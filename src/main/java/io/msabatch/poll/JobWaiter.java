package io.msabatch.poll;

import io.msabatch.api.Job;
import io.msabatch.api.JobLookup;
import io.msabatch.api.JobNotFoundException;
import io.msabatch.api.JobQuery;
import io.msabatch.api.JobStatus;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinProperties;
import io.msabatch.ledger.MsaJobRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Asks the service how the jobs in flight are doing, at a pace that costs what is in flight, not what the run has
 * done. An acceptor maps each answer to a {@link Verdict} (or none: still running, or not visible yet); a delay policy
 * says when the next check is due. Time is injected, so it is tested without sleeping.
 *
 * <p>Strategy: with fewer than {@code list-threshold} jobs in flight, one {@code GET /jobs/{id}} each. Otherwise one
 * listing of the SUCCESS jobs created since a window start (every few checks also FAILURE and CANCELED), which returns
 * the newly finished plus those that finished out of order (while at most a page of jobs is in flight, one listing of
 * every status instead). The window starts at the oldest job in flight unless that
 * makes the listing mostly waste (rows already handled): then the oldest jobs become stragglers, left out of the
 * window and checked one by one on their own, slower schedule (a fifth of their age, between {@code poll-min} and
 * {@code poll-max}, at most {@value #STRAGGLER_GETS_PER_CHECK} per check). One job the service keeps PENDING for an
 * hour therefore costs a GET every {@code poll-max}, not a listing of the whole hour. Not thread-safe: one step thread.
 */
final class JobWaiter {

    static final int STRAGGLER_GETS_PER_CHECK = 10;
    /** A listing may return this many rows that need nothing (handled already) before the window moves. */
    static final int WASTE_BUDGET = 100;
    /** FAILURE and CANCELED are listed every this many checks (they are rare; SUCCESS is listed every time). */
    static final int OTHER_STATUSES_EVERY = 5;
    /** The oldest job in flight, once older than this, is also checked on its own (slowly). */
    static final Duration OLD_AGE = Duration.ofMinutes(5);

    private final JobLookup client;
    private final Clock clock;
    private final Duration pollMin;
    private final Duration pollMax;
    private final int listThreshold;
    private final Duration visibilityGrace;
    private final DoubleSupplier jitter;
    private final Instant deadline;
    private final Duration deadlineSetting;

    private Instant lastCheck;
    private boolean lastCheckFoundWork;
    private int checks;
    /** The service's created date from which listings start; older jobs in flight are stragglers. */
    private Instant windowStart;
    private final Map<String, Instant> stragglerDue = new HashMap<>();

    /** {@code deadline}: past it, every job still in flight is TIMED_OUT ({@code deadlineSetting} names the setting). */
    JobWaiter(JobLookup client, Clock clock, Duration pollMin, Duration pollMax, int listThreshold,
              Duration visibilityGrace, DoubleSupplier jitter, Instant deadline, Duration deadlineSetting) {
        this.deadline = deadline;
        this.deadlineSetting = deadlineSetting;
        this.client = client;
        this.clock = clock;
        this.pollMin = pollMin;
        this.pollMax = pollMax;
        this.listThreshold = listThreshold;
        this.visibilityGrace = visibilityGrace;
        this.jitter = jitter;
    }

    /**
     * When the next check is due: at once the first time; {@code poll-min} after a check that found finished jobs
     * (they keep coming); otherwise a wait that grows with the age of the jobs in flight (a fifth of the oldest
     * non-straggler's age, between poll-min and poll-max, ±20% jitter).
     */
    Instant nextCheck(List<MsaJobRow> inFlight) {
        if (lastCheck == null) {
            return Instant.EPOCH; // due at once
        }
        return lastCheck.plus(lastCheckFoundWork ? pollMin : delay(oldestAge(inFlight)));
    }

    /**
     * Checks now; returns the verdicts on jobs that need something done. Past the deadline every job in flight is
     * TIMED_OUT, and the service is not asked. Service errors propagate.
     */
    List<Verdict> check(List<MsaJobRow> inFlight) {
        Instant now = clock.instant();
        if (now.isAfter(deadline)) {
            return inFlight.stream().map(this::timedOut).toList();
        }
        checks++;
        List<Verdict> verdicts = inFlight.size() < listThreshold ? checkOneByOne(inFlight, now) : checkByList(inFlight, now);
        lastCheck = now;
        lastCheckFoundWork = !verdicts.isEmpty();
        return verdicts;
    }

    private List<Verdict> checkOneByOne(Collection<MsaJobRow> jobs, Instant now) {
        List<Verdict> verdicts = new ArrayList<>();
        for (MsaJobRow row : jobs) {
            Verdict v = getOne(row, now);
            if (v != null) {
                verdicts.add(v);
            }
        }
        return verdicts;
    }

    private Verdict getOne(MsaJobRow row, Instant now) {
        try {
            return accept(row, client.getJob(row.jobId()));
        } catch (JobNotFoundException e) {
            return acceptNotFound(row, now);
        }
    }

    private List<Verdict> checkByList(List<MsaJobRow> inFlight, Instant now) {
        List<MsaJobRow> byAge = new ArrayList<>(inFlight);
        byAge.sort(Comparator.comparing(this::createdOf, Comparator.nullsFirst(Comparator.naturalOrder())));
        Instant oldest = createdOf(byAge.get(0));
        if (windowStart == null || windowStart.isBefore(oldest)) {
            windowStart = oldest; // the oldest job in flight finished: the window follows
        }
        List<MsaJobRow> inWindow = new ArrayList<>();
        List<MsaJobRow> stragglers = new ArrayList<>();
        for (MsaJobRow j : byAge) {
            Instant created = createdOf(j);
            (created.isBefore(windowStart) ? stragglers : inWindow).add(j);
        }
        Map<String, MsaJobRow> byId = new HashMap<>();
        inWindow.forEach(j -> byId.put(j.jobId(), j));
        List<Verdict> verdicts = new ArrayList<>();
        if (!inWindow.isEmpty()) {
            // more_recent_than is exclusive; a millisecond below the oldest created date keeps it in
            Instant since = windowStart.minusMillis(1);
            List<Job> listed = new ArrayList<>();
            if (inWindow.size() <= OpenProteinProperties.MAX_PAGE_SIZE) {
                listed.addAll(list(null, since)); // a page or two hold every status at once
            } else {
                listed.addAll(list(JobStatus.SUCCESS, since));
                if (checks % OTHER_STATUSES_EVERY == 1) {
                    listed.addAll(list(JobStatus.FAILURE, since));
                    listed.addAll(list(JobStatus.CANCELED, since));
                }
            }
            List<Instant> waste = new ArrayList<>();
            for (Job job : listed) {
                MsaJobRow row = byId.remove(job.jobId());
                if (row == null) { // not ours in flight: handled earlier, or another pipeline's
                    if (job.createdDate() != null) {
                        waste.add(job.createdDate());
                    }
                    continue;
                }
                Verdict v = accept(row, job); // null while it runs
                if (v != null) {
                    verdicts.add(v);
                }
            }
            moveWindow(inWindow, waste, verdicts);
            // the oldest job, when old, is also asked for by itself now and then: a job the service lost never shows
            // up in a listing, and would otherwise wait for the deadline
            MsaJobRow first = inWindow.get(0);
            if (byId.containsKey(first.jobId()) && age(first, now).compareTo(OLD_AGE) > 0) {
                stragglers.add(0, first);
            }
        }
        stragglerDue.keySet().retainAll(stragglers.stream().map(MsaJobRow::jobId).toList());
        int gets = 0;
        for (MsaJobRow s : stragglers) {
            Instant due = stragglerDue.getOrDefault(s.jobId(), now);
            if (due.isAfter(now) || gets == STRAGGLER_GETS_PER_CHECK) {
                continue;
            }
            gets++;
            stragglerDue.put(s.jobId(), now.plus(delay(age(s, now))));
            Verdict v = getOne(s, now);
            if (v != null) {
                verdicts.add(v);
            }
        }
        return verdicts;
    }

    /**
     * Chooses the next window start: the oldest job in flight still pending after this check such that the rows this
     * listing returned for jobs needing nothing (created at or after it) stay within the budget.
     */
    private void moveWindow(List<MsaJobRow> inWindow, List<Instant> waste, List<Verdict> verdicts) {
        int budget = WASTE_BUDGET;
        if (waste.size() <= budget) {
            return;
        }
        Set<String> finishing = new HashSet<>();
        verdicts.forEach(v -> finishing.add(v.job().jobId()));
        waste.sort(Comparator.naturalOrder());
        int skipped = 0;
        for (MsaJobRow j : inWindow) {
            if (finishing.contains(j.jobId())) {
                continue;
            }
            Instant candidate = createdOf(j);
            long remaining = waste.stream().filter(t -> !t.isBefore(candidate)).count();
            if (remaining <= budget || ++skipped > STRAGGLER_GETS_PER_CHECK) {
                windowStart = candidate;
                return;
            }
        }
    }

    private List<Job> list(JobStatus status, Instant since) {
        return client.listJobs(new JobQuery(status, OpenProteinClient.ALIGN_JOB_TYPE, since, 0));
    }

    // ---- acceptors ---------------------------------------------------------------------------------------------

    /** The acceptor of a job's status: terminal statuses become verdicts; anything else (UNKNOWN included) waits. */
    static Verdict accept(MsaJobRow row, Job job) {
        return switch (job.status()) {
            case SUCCESS -> new Verdict(row, Verdict.Outcome.SUCCEEDED, job.rawStatus(), null);
            case FAILURE -> new Verdict(row, Verdict.Outcome.FAILED, job.rawStatus(),
                    job.failureMessage() == null ? "job failed (no failure_message)" : job.failureMessage());
            case CANCELED -> new Verdict(row, Verdict.Outcome.CANCELED, job.rawStatus(),
                    "job " + row.jobId() + " was canceled on the service");
            default -> null;
        };
    }

    /** The acceptor at the deadline: the job is given up, with its last known status. */
    private Verdict timedOut(MsaJobRow row) {
        return new Verdict(row, Verdict.Outcome.TIMED_OUT, row.jobStatus(), "gave up after " + deadlineSetting
                + " waiting for job " + row.jobId() + " (last status " + row.jobStatus() + ") (setting pipeline.deadline)");
    }

    /** A 404 is "not visible yet" within the grace after creation, then the job is gone. */
    Verdict acceptNotFound(MsaJobRow row, Instant now) {
        Instant since = row.submittedAt() != null ? row.submittedAt() : row.intentAt();
        if (since != null && Duration.between(since, now).compareTo(visibilityGrace) < 0) {
            return null;
        }
        return new Verdict(row, Verdict.Outcome.GONE, null, "job " + row.jobId() + " is unknown to the service (404 "
                + "since " + visibilityGrace.toSeconds() + " s after its creation)");
    }

    // ---- delay policy ------------------------------------------------------------------------------------------

    /** A fifth of {@code age}, between poll-min and poll-max, ±20% jitter (never under half of poll-min). */
    Duration delay(Duration age) {
        long base = Math.max(pollMin.toMillis(), Math.min(pollMax.toMillis(), age.toMillis() / 5));
        double factor = 0.8 + 0.4 * jitter.getAsDouble();
        return Duration.ofMillis(Math.max(pollMin.toMillis() / 2, (long) (base * factor)));
    }

    private Duration oldestAge(List<MsaJobRow> inFlight) {
        Instant now = clock.instant();
        return inFlight.stream()
                .filter(j -> windowStart == null || !createdOf(j).isBefore(windowStart))
                .map(j -> age(j, now)).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    private static Duration age(MsaJobRow j, Instant now) {
        Instant since = j.submittedAt() != null ? j.submittedAt() : j.intentAt();
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }

    /** The job's created date on the service's clock (our submission time, translated, when the service sent none). */
    private Instant createdOf(MsaJobRow j) {
        if (j.createdAt() != null) {
            return j.createdAt();
        }
        Instant local = Objects.requireNonNullElse(j.submittedAt(), Objects.requireNonNullElse(j.intentAt(), Instant.EPOCH));
        return client.knowsServiceClock() ? client.serviceTime(local).minusSeconds(2) : local.minus(Duration.ofMinutes(5));
    }
}
