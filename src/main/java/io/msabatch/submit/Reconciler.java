package io.msabatch.submit;

import io.msabatch.api.Job;
import io.msabatch.api.JobQuery;
import io.msabatch.api.JobStatus;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinException;
import io.msabatch.output.MsaFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the jobs that submissions in doubt created, all of them in one pass: one listing of the jobs created since
 * the oldest attempt, skipping jobs the ledger (or this process) already knows, fetching each remaining candidate's
 * seed at most once (per process), and matching by sequence hash. A doubt with no match is concluded "never created"
 * only when the listing began after its attempt plus the visibility grace (a new job can be missing from lists for a
 * moment); younger ones stay in doubt for a later pass. Each pass logs its cost in one line. Thread-safe.
 */
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Margin before the oldest attempt when the service's clock is known from its Date headers (1 s resolution). */
    static final Duration MARGIN = Duration.ofSeconds(3);
    /** Margin when it is not: a clock difference between this machine and the service. */
    static final Duration UNKNOWN_CLOCK_MARGIN = Duration.ofMinutes(5);
    private static final int SEED_CACHE = 100_000;

    private final OpenProteinClient client;
    private final KnownJobs known;
    private final Clock clock;
    /** Seed hashes of candidates already fetched: job id → hash (bounded, oldest dropped). */
    private final Map<String, String> seedHashes = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > SEED_CACHE;
                }
            });

    public Reconciler(OpenProteinClient client, KnownJobs known, Clock clock) {
        this.client = client;
        this.known = known;
        this.clock = clock;
    }

    /** One submission in doubt: which run's job, which sequence, when the POST began. */
    public record Doubt(long runId, String seqHash, Instant attemptedAt) {
    }

    /** What a pass found: the job of each matched doubt, the doubts concluded never created, the rest still open. */
    public record Result(Map<Doubt, Job> found, List<Doubt> absent, List<Doubt> open) {
    }

    public Result reconcile(List<Doubt> doubts) {
        if (doubts.isEmpty()) {
            return new Result(Map.of(), List.of(), List.of());
        }
        Instant listedAt = clock.instant();
        Instant oldest = doubts.stream().map(Doubt::attemptedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant since = client.knowsServiceClock() ? client.serviceTime(oldest).minus(MARGIN)
                : oldest.minus(UNKNOWN_CLOCK_MARGIN);
        long requestsBefore = client.requestCount();
        List<Job> listed = client.listJobs(new JobQuery(null, OpenProteinClient.ALIGN_JOB_TYPE, since, 0));
        List<Job> candidates = new ArrayList<>();
        for (Job j : listed) {
            // a failed or canceled job is an earlier attempt that ended, not the one a doubt may have created
            if (j.jobId() != null && j.status() != JobStatus.FAILURE && j.status() != JobStatus.CANCELED) {
                candidates.add(j);
            }
        }
        Set<String> knownIds = known.known(candidates.stream().map(Job::jobId).toList());
        candidates.removeIf(j -> knownIds.contains(j.jobId()));
        candidates.sort(Comparator.comparing(Job::createdDate, Comparator.nullsLast(Comparator.naturalOrder())));

        Map<String, List<Doubt>> byHash = new HashMap<>();
        for (Doubt d : doubts) {
            byHash.computeIfAbsent(d.seqHash(), h -> new ArrayList<>()).add(d);
        }
        Map<Doubt, Job> found = new LinkedHashMap<>();
        int fetches = 0;
        boolean complete = true;
        Set<String> usedJobs = new HashSet<>();
        for (Job candidate : candidates) {
            String hash = seedHashes.get(candidate.jobId());
            if (hash == null) {
                try {
                    fetches++;
                    hash = MsaFiles.sha256(normalise(client.fetchSeed(candidate.jobId())));
                    seedHashes.put(candidate.jobId(), hash);
                } catch (OpenProteinException e) {
                    // cannot tell what this job computes: no doubt may be concluded absent in this pass
                    complete = false;
                    log.warn("Reconciliation could not read the seed of job {}: {}", candidate.jobId(), e.getMessage());
                    continue;
                }
            }
            List<Doubt> waiting = byHash.get(hash);
            if (waiting != null && !waiting.isEmpty() && usedJobs.add(candidate.jobId())) {
                found.put(waiting.remove(0), candidate);
                known.answered(candidate.jobId());
            }
        }
        List<Doubt> absent = new ArrayList<>();
        List<Doubt> open = new ArrayList<>();
        Duration grace = client.properties().visibilityGrace();
        for (Doubt d : doubts) {
            if (found.containsKey(d)) {
                continue;
            }
            if (complete && !d.attemptedAt().plus(grace).isAfter(listedAt)) {
                absent.add(d);
            } else {
                open.add(d);
            }
        }
        log.info("Reconciled {} submissions in doubt: {} jobs listed since {}, {} candidates, {} seed fetches, "
                        + "{} requests; {} adopted, {} to send again, {} still in doubt", doubts.size(), listed.size(), since,
                candidates.size(), fetches, client.requestCount() - requestsBefore, found.size(), absent.size(), open.size());
        return new Result(found, absent, open);
    }

    /** How a seed is compared: upper-case, without whitespace (chain separators kept). */
    static String normalise(String seed) {
        StringBuilder sb = new StringBuilder(seed.length());
        for (int i = 0; i < seed.length(); i++) {
            char c = seed.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
