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
    private final JobStore store;
    private final JobScheduler scheduler;
    private final Faults faults;

    AdminController(Stats stats, JobStore store, JobScheduler scheduler, Faults faults) {
        this.stats = stats;
        this.store = store;
        this.scheduler = scheduler;
        this.faults = faults;
    }

    @GetMapping("/emulator/stats")
    Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("submissions", store.count());
        m.put("submissions_since_start", stats.submissionsSinceStart());
        m.put("distinct_seeds", store.distinctSeeds());
        m.put("requests_total", stats.requestsTotal());
        m.put("requests_by_route", stats.requestsByRoute());
        m.put("jobs_by_status", store.countByStatus());
        m.put("faults_injected", stats.faultsInjected());
        m.put("running_by_user", scheduler.runningByUser());
        m.put("max_running_by_user", scheduler.maxRunningByUser());
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
