package io.msabatch.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.msabatch.api.RequestListener;
import io.msabatch.ledger.RecordState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The meters an operator alerts on, under {@code msabatch_*}: records by outcome, jobs in flight, submissions,
 * requests by route and status (with their time), retries, 429s, the run's duration, the time of the last successful
 * run. Spring Boot pushes them to a Prometheus Pushgateway when {@code management.prometheus.metrics.export.pushgateway}
 * is configured (periodically, and when the run ends); {@code pipeline.metrics-textfile} also writes them for
 * node-exporter's textfile collector. One per process, like the meter registry it registers in (a process runs one
 * execution at a time; each execution's readings replace the last). Thread-safe.
 */
@Component
class RunMetrics implements RequestListener {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<RecordState, AtomicLong> records = new EnumMap<>(RecordState.class);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong durationSeconds = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Counter retries;

    RunMetrics(ObjectProvider<MeterRegistry> registries, Clock clock) {
        this.registry = registries.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        this.clock = clock;
        for (RecordState s : RecordState.values()) {
            AtomicLong n = new AtomicLong();
            records.put(s, n);
            Gauge.builder("msabatch.records", n, AtomicLong::get).tag("outcome", s.name())
                    .description("Input records of the run by outcome (PENDING: no outcome yet)").register(registry);
        }
        Gauge.builder("msabatch.jobs.in.flight", inFlight, AtomicLong::get)
                .description("MSA jobs submitted and not finished").register(registry);
        Gauge.builder("msabatch.jobs.submitted", submitted, AtomicLong::get)
                .description("MSA jobs this run paid for").register(registry);
        Gauge.builder("msabatch.run.duration", durationSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Wall time of the last execution").register(registry);
        Gauge.builder("msabatch.last.success", lastSuccess, AtomicLong::get).baseUnit("seconds")
                .description("When a run last completed with every record's file (Unix time)").register(registry);
        retries = Counter.builder("msabatch.http.retries").description("HTTP attempts that failed and were retried")
                .register(registry);
    }

    @Override
    public void exchanged(String route, int status, long nanos) {
        Timer.builder("msabatch.http.requests").tag("route", route).tag("status", Integer.toString(status))
                .description("HTTP requests to the OpenProtein service").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (status == 429) {
            Counter.builder("msabatch.http.throttled").description("429 answers (too many requests)")
                    .register(registry).increment();
        }
    }

    @Override
    public void retrying(String route) {
        retries.increment(); // as the client's retry classifier decided (a creating POST's 5xx is not retried)
    }

    /** The latest counts (from the progress reporter's reading of the ledger). */
    void update(Progress.Snapshot s) {
        s.records().forEach((state, n) -> records.get(state).set(n));
        inFlight.set(s.inFlight());
        submitted.set(s.submitted());
    }

    /** An earlier run's full success (from the ledger), so this process's push carries it on; null: none yet. */
    void lastSucceededAt(java.time.Instant at) {
        if (at != null) {
            lastSuccess.accumulateAndGet(at.getEpochSecond(), Math::max);
        }
    }

    void finished(Duration elapsed, boolean everyRecordHasItsFile) {
        durationSeconds.set(elapsed.toSeconds());
        if (everyRecordHasItsFile) {
            lastSuccess.set(clock.instant().getEpochSecond());
        }
    }

    /** Writes the meters in Prometheus' text format to {@code file}, atomically (for node-exporter). */
    void writeTextfile(Path file) {
        PrometheusMeterRegistry prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
        if (prometheus == null) {
            return;
        }
        Path temp = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(temp);
            Files.writeString(temp, prometheus.scrape(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** For tests and the summary: the number of requests seen. */
    long requests() {
        return (long) registry.find("msabatch.http.requests").timers().stream().mapToLong(Timer::count).sum();
    }

}
