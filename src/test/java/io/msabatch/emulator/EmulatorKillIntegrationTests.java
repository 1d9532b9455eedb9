package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code kill -9} of the emulator JVM loses no job whose POST it answered. */
class EmulatorKillIntegrationTests {

    @TempDir
    Path work;

    @Test
    void answersForEveryAcknowledgedJobAfterAKill9() throws Exception {
        // given: an emulator JVM taking POSTs from 6 threads
        Map<String, String> settings = Map.of("emulator.data-dir", work.resolve("data").toString(),
                "emulator.msa-mode", "seed-only", "emulator.job-duration", "0-200ms",
                "emulator.max-running-jobs-per-user", "50", "emulator.visibility-delay", "0");
        List<String> jvm = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (EmulatorProcess first = EmulatorProcess.start(work.resolve("first.log"), jvm, settings)) {
            EmulatorClient client = new EmulatorClient(first.baseUrl());
            String token = client.loginToday("demo", "demo");
            List<Future<?>> posting = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                posting.add(threads.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r;
                        try {
                            r = client.submit("/api/v1/align/msa", token, EmulatorClient.freshSeed());
                        } catch (UncheckedIOException e) {
                            return; // the JVM is gone
                        }
                        if (r.statusCode() == 200) {
                            acknowledged.add(EmulatorClient.json(r).get("job_id").asString());
                        }
                    }
                }));
            }
            while (acknowledged.size() < 1500) {
                EmulatorClient.sleep(20);
            }
            // when: SIGKILL mid-stream, POSTs in flight
            first.kill();
            stop.set(true);
            for (Future<?> f : posting) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        // then: a new JVM on the same data dir knows every job it acknowledged, and runs them
        try (EmulatorProcess second = EmulatorProcess.start(work.resolve("second.log"), jvm, settings)) {
            EmulatorClient client = new EmulatorClient(second.baseUrl());
            String token = client.loginToday("demo", "demo");
            List<String> missing = new ArrayList<>();
            for (String id : acknowledged) {
                if (client.get("/api/v1/jobs/" + id, token).statusCode() != 200) {
                    missing.add(id);
                }
            }
            assertThat(missing).as("acknowledged jobs lost of " + acknowledged.size()).isEmpty();
            assertThat(client.stats().get("submissions").asLong()).isGreaterThanOrEqualTo(acknowledged.size());
            String last = acknowledged.stream().reduce((a, b) -> b).orElseThrow();
            assertThat(client.awaitTerminal(token, last).get("status").asString()).isEqualTo("SUCCESS");
        }
    }
}
