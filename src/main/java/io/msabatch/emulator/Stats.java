package io.msabatch.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Request counters since this server started (in memory). Thread-safe. */
@Component
class Stats {

    private static final Pattern ID_SEGMENT = Pattern.compile("/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27,}(?=/|$)");

    private final LongAdder requestsTotal = new LongAdder();
    private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faultsInjected = new ConcurrentHashMap<>();
    private final AtomicLong submissionsSinceStart = new AtomicLong();
    private final LongAdder jobsListed = new LongAdder();

    /** "GET /api/v1/jobs/{job_id}": ids in paths are folded so routes stay few. */
    static String route(String method, String path) {
        // only job paths hold ids (with dashes); skipping the regex elsewhere keeps the count cheap
        return method + " " + (path.indexOf('-', 8) < 0 || !path.startsWith("/api/v1/jobs/") ? path
                : ID_SEGMENT.matcher(path).replaceAll("/{job_id}"));
    }

    void request(String route) {
        requestsTotal.increment();
        byRoute.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    void fault(String kind) {
        faultsInjected.computeIfAbsent(kind, r -> new LongAdder()).increment();
    }

    void submission() {
        submissionsSinceStart.incrementAndGet();
    }

    /** Job rows returned by a list call. */
    void listed(int jobs) {
        jobsListed.add(jobs);
    }

    long jobsListed() {
        return jobsListed.sum();
    }

    long requestsTotal() {
        return requestsTotal.sum();
    }

    long submissionsSinceStart() {
        return submissionsSinceStart.get();
    }

    Map<String, Long> requestsByRoute() {
        return snapshot(byRoute);
    }

    Map<String, Long> faultsInjected() {
        return snapshot(faultsInjected);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
