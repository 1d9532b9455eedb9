package io.msabatch.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Emulator-only routes outside {@code /api/v1}, without auth and never faulted: stats, faults, health. */
@RestController
class AdminController {

    private final Stats stats;
    private final JobCounters counters;
    private final JobScheduler scheduler;
    private final Faults faults;
    private final JobWriter writer;

    AdminController(Stats stats, JobCounters counters, JobScheduler scheduler, Faults faults, JobWriter writer) {
        this.writer = writer;
        this.stats = stats;
        this.counters = counters;
        this.scheduler = scheduler;
        this.faults = faults;
    }

    /**
     * Counts over the whole data dir ({@code submissions}: jobs stored by POSTs, cache hits included;
     * {@code cache_hits}; {@code distinct_seeds}; {@code seeds_submitted_more_than_once}: seeds a user has more than
     * one job of, once per user and seed; {@code jobs_by_status}) and since start (the rest).
     */
    @GetMapping("/emulator/stats")
    Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("submissions", counters.submissions());
        m.put("submissions_since_start", stats.submissionsSinceStart());
        m.put("cache_hits", counters.cacheHits());
        m.put("distinct_seeds", counters.distinctSeeds());
        m.put("seeds_submitted_more_than_once", counters.seedsSubmittedMoreThanOnce());
        m.put("jobs_listed", stats.jobsListed());
        m.put("stragglers", scheduler.stragglers());
        m.put("requests_total", stats.requestsTotal());
        m.put("requests_by_route", stats.requestsByRoute());
        m.put("jobs_by_status", counters.byStatus());
        m.put("faults_injected", stats.faultsInjected());
        m.put("running_by_user", scheduler.runningByUser());
        m.put("max_running_by_user", scheduler.maxRunningByUser());
        m.put("db_commits", writer.commits());
        m.put("db_changes", writer.changes());
        return m;
    }

    @GetMapping("/emulator/faults")
    Map<String, Object> faults() {
        return faults.current().toJson();
    }

    @PutMapping("/emulator/faults")
    Map<String, Object> setFaults(@RequestBody Map<String, Object> changes) {
        try {
            return faults.update(changes).toJson();
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, e.getMessage());
        }
    }

    @GetMapping("/emulator/health")
    Map<String, Object> health() {
        return Map.of("status", "UP");
    }
}
