package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.retry.backoff.Sleeper;
import tools.jackson.databind.JsonNode;

/**
 * The client against the real emulator over real HTTP on a free loopback port. Faults are switched at run time
 * through the emulator's admin route; the injected sleeper records the waits instead of sleeping (and, where a test
 * needs a burst to end, switches the fault off), so no test waits for backoff.
 */
class OpenProteinClientIntegrationTests {

    private static final String MSA_ROUTE = "POST /api/v1/poet/align/msa";
    private static final HttpClient ADMIN = HttpClient.newHttpClient();
    private static final Random RANDOM = new Random(20261201);

    @TempDir
    static Path sharedDir;

    static Emulator.RunningEmulator shared;

    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSharedEmulator() {
        shared = Emulator.start(settings(sharedDir, "emulator.job-duration", "1s", "emulator.faults.retry-after", "1"));
    }

    @AfterAll
    static void stopSharedEmulator() {
        if (shared != null) {
            shared.close();
        }
    }

    @BeforeEach
    void noFaults() {
        faults(shared, "{\"http-5xx\":0,\"http-429\":0,\"disconnect\":0,\"job-failure\":0,\"retrying\":0}");
    }

    @Test
    void submitsSeedAndStreamsItsMsaOnceSucceeded(@TempDir Path out) throws IOException {
        // given
        OpenProteinClient client = client(shared, props(shared), null);
        String seed = randomSeed();

        // when
        Job submitted = client.submitMsa(seed);
        Job done = awaitTerminal(client, submitted.jobId());
        Path target = out.resolve("msa/seed.csv");
        client.downloadMsa(submitted.jobId(), target);

        // then
        assertThat(submitted.jobType()).isEqualTo("/align/align");
        assertThat(submitted.status().isTerminal()).isFalse();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(done.createdDate()).isNotNull();
        assertThat(Files.readAllLines(target).get(0)).isEqualTo("101," + seed);
        assertThat(client.fetchSeed(submitted.jobId())).isEqualTo(seed);
    }

    @Test
    void answersNotReadyWith409BeforeSuccess(@TempDir Path out) {
        // given a job that takes a second
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());

        // when / then
        assertThatThrownBy(() -> client.downloadMsa(job.jobId(), out.resolve("early.csv")))
                .isInstanceOfSatisfying(JobNotReadyException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.jobStatus().isTerminal()).isFalse();
                    assertThat(e.jobId()).isEqualTo(job.jobId());
                });
        assertThat(out).isEmptyDirectory();
        // the RAW seed is there in every status
        assertThat(client.fetchSeed(job.jobId())).isNotBlank();
    }

    @Test
    void walksAllPagesOfTheJobList() {
        // given five new jobs
        OpenProteinClient client = client(shared, props(shared), null);
        Instant since = Instant.now().minusMillis(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.submitMsa(randomSeed()).jobId());
        }
        long before = client.requestCount();

        // when pages of two are asked for
        List<Job> jobs = client.listJobs(new JobQuery(null, "/align/align", since, 2));

        // then three pages (2, 2, 1) gave all five
        assertThat(jobs).extracting(Job::jobId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(client.requestCount() - before).isEqualTo(3);
    }

    @Test
    void usesTheCurrentPathsWhenAskedTo() {
        // given
        OpenProteinClient client = client(shared, props(shared).withPaths(OpenProteinProperties.Paths.CURRENT), null);
        String seed = randomSeed();

        // when
        Job job = client.submitMsa(seed);

        // then
        assertThat(client.fetchSeed(job.jobId())).isEqualTo(seed);
    }

    @Test
    void honoursRetryAfterOn429() {
        // given every job GET answered 429 with Retry-After: 1, until the first wait
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());
        faults(shared, "{\"http-429\":1.0,\"routes\":\"GET /api/v1/jobs/.*\"}");
        Sleeper switchOffOnFirstWait = ms -> {
            sleeps.add(ms);
            noFaults();
        };
        OpenProteinClient patient = client(shared, props(shared), switchOffOnFirstWait);

        // when
        Job fetched = patient.getJob(job.jobId());

        // then
        assertThat(fetched.jobId()).isEqualTo(job.jobId());
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isGreaterThanOrEqualTo(1000L);
    }

    @Test
    void retriesABurstOfServerErrorsOnGets() {
        // given five failing answers in a row: the burst ends at the third wait
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());
        faults(shared, "{\"http-5xx\":1.0,\"routes\":\"GET /api/v1/jobs/.*\"}");
        OpenProteinClient patient = client(shared, props(shared), ms -> {
            sleeps.add(ms);
            if (sleeps.size() == 3) {
                noFaults();
            }
        });

        // when
        Job fetched = patient.getJob(job.jobId());

        // then one login and four GETs
        assertThat(fetched.jobId()).isEqualTo(job.jobId());
        assertThat(sleeps).hasSize(3);
        assertThat(patient.requestCount()).isEqualTo(5);
    }

    @Test
    void givesUpAfterTheBoundedNumberOfAttempts() {
        // given a fault that never ends and a budget of three attempts
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());
        faults(shared, "{\"http-5xx\":1.0,\"routes\":\"GET /api/v1/jobs/.*\"}");
        OpenProteinClient patient = client(shared,
                props(shared).withRetry(new OpenProteinProperties.Retry(3, Duration.ofMillis(500), Duration.ofSeconds(30))),
                sleeps::add);

        // when / then
        assertThatThrownBy(() -> patient.getJob(job.jobId()))
                .isInstanceOfSatisfying(TransientApiException.class, e -> {
                    assertThat(e.status()).isBetween(500, 599);
                    assertThat(e.route()).isEqualTo("GET /api/v1/jobs/{job_id}");
                    assertThat(e.jobId()).isEqualTo(job.jobId());
                });
        assertThat(sleeps).hasSize(2);
        assertThat(patient.requestCount()).isEqualTo(1 + 3);
    }

    @Test
    void retriesAGetWhoseConnectionWasDropped() {
        // given the next job GET loses its connection
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());
        faults(shared, "{\"disconnect\":1.0,\"routes\":\"GET /api/v1/jobs/.*\"}");
        OpenProteinClient patient = client(shared, props(shared), ms -> {
            sleeps.add(ms);
            noFaults();
        });

        // when
        Job fetched = patient.getJob(job.jobId());

        // then
        assertThat(fetched.jobId()).isEqualTo(job.jobId());
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void retriesACreatingPostRefusedWith429BeforeProcessing() {
        // given the job-creating route answers 429 until the first wait
        faults(shared, "{\"http-429\":1.0,\"routes\":\"" + MSA_ROUTE + "\"}");
        long submissionsBefore = stats(shared).path("submissions").asLong();
        OpenProteinClient client = client(shared, props(shared), ms -> {
            sleeps.add(ms);
            noFaults();
        });

        // when
        Job job = client.submitMsa(randomSeed());

        // then exactly one job exists
        assertThat(job.jobId()).isNotBlank();
        assertThat(sleeps).hasSize(1);
        assertThat(stats(shared).path("submissions").asLong() - submissionsBefore).isEqualTo(1);
    }

    @Test
    void reportsBadInputAsPermanentWithoutRetrying() {
        // given
        OpenProteinClient client = client(shared, props(shared), sleeps::add);

        // when / then
        assertThatThrownBy(() -> client.submitMsa(""))
                .isInstanceOfSatisfying(PermanentApiException.class, e -> {
                    assertThat(e.status()).isIn(400, 422);
                    assertThat(e.detail()).isNotBlank();
                    assertThat(e.route()).isEqualTo(MSA_ROUTE);
                });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void reportsAnUnknownJobAsNotFound() {
        OpenProteinClient client = client(shared, props(shared), sleeps::add);
        String id = "00000000-0000-4000-8000-000000000000";
        assertThatThrownBy(() -> client.getJob(id))
                .isInstanceOfSatisfying(JobNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.jobId()).isEqualTo(id);
                    assertThat(e.detail()).isNotBlank();
                });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void refusesBadCredentialsWithoutShowingThePassword() {
        OpenProteinClient client = new OpenProteinClient(props(shared), shared.baseUrl(),
                new Credentials("demo", "wrong-pw-123"), Clock.systemUTC(), sleeps::add);
        assertThatThrownBy(() -> client.getJob("00000000-0000-4000-8000-000000000000"))
                .isInstanceOfSatisfying(PermanentApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("demo").doesNotContain("wrong-pw-123");
                });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void renewsTokenBeforeItExpiresMidRun(@TempDir Path dir) throws InterruptedException {
        // given tokens that live two seconds
        try (Emulator.RunningEmulator emulator = Emulator.start(settings(dir, "emulator.token-ttl", "2s",
                "emulator.job-duration", "100ms"))) {
            OpenProteinClient client = client(emulator, props(emulator), null);
            Job job = client.submitMsa(randomSeed());

            // when the run goes on past the token's life
            Thread.sleep(2500);
            Job later = client.getJob(job.jobId());

            // then the token was renewed ahead of time: login, POST, login, GET, and no refused request
            assertThat(later.jobId()).isEqualTo(job.jobId());
            assertThat(client.requestCount()).isEqualTo(4);
        }
    }

    @Test
    void logsInAgainOnceWhenTheServerRefusesAnExpiredToken(@TempDir Path dir) throws InterruptedException {
        // given tokens that live two seconds, and a client whose clock stands still so it cannot renew ahead
        try (Emulator.RunningEmulator emulator = Emulator.start(settings(dir, "emulator.token-ttl", "2s",
                "emulator.job-duration", "100ms"))) {
            OpenProteinClient client = new OpenProteinClient(props(emulator), emulator.baseUrl(),
                    new Credentials("demo", "demo"), Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC), sleeps::add);
            Job job = client.submitMsa(randomSeed());

            // when
            Thread.sleep(2500);
            Job later = client.getJob(job.jobId());

            // then login, POST, GET (401), login, GET
            assertThat(later.jobId()).isEqualTo(job.jobId());
            assertThat(client.requestCount()).isEqualTo(5);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void reportsFailureWithItsMessage(@TempDir Path dir) {
        // given every job fails
        try (Emulator.RunningEmulator emulator = Emulator.start(settings(dir, "emulator.faults.job-failure", "1.0",
                "emulator.job-duration", "100ms"))) {
            OpenProteinClient client = client(emulator, props(emulator), null);

            // when
            Job job = awaitTerminal(client, client.submitMsa(randomSeed()).jobId());

            // then
            assertThat(job.status()).isEqualTo(JobStatus.FAILURE);
            assertThat(job.failureMessage()).isNotBlank();
            assertThatThrownBy(() -> client.downloadMsa(job.jobId(), dir.resolve("failed.csv")))
                    .isInstanceOfSatisfying(JobNotReadyException.class,
                            e -> assertThat(e.jobStatus()).isEqualTo(JobStatus.FAILURE));
        }
    }

    @Test
    void doesNotResendACreatingPostWhoseAnswerWasLost(@TempDir Path dir) {
        // given the server creates the job and then drops the connection without answering
        try (Emulator.RunningEmulator emulator = Emulator.start(settings(dir, "emulator.faults.disconnect", "1",
                "emulator.faults.routes", MSA_ROUTE, "emulator.job-duration", "100ms"))) {
            Instant before = Instant.now();
            OpenProteinClient client = client(emulator, props(emulator), sleeps::add);

            // when / then
            assertThatThrownBy(() -> client.submitMsa(randomSeed()))
                    .isInstanceOfSatisfying(UncertainSubmissionException.class, e -> {
                        assertThat(e.attemptedAt()).isNotNull().isAfterOrEqualTo(before.minusSeconds(1));
                        assertThat(e.route()).isEqualTo(MSA_ROUTE);
                    });
            assertThat(stats(emulator).path("submissions").asLong()).isEqualTo(1);
            assertThat(sleeps).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, String> settings(Path dir, String... pairs) {
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("server.address", "127.0.0.1");
        s.put("emulator.data-dir", dir.resolve("emulator").toString());
        s.put("emulator.users", "demo:demo");
        s.put("emulator.msa-mode", "seed-only");
        for (int i = 0; i < pairs.length; i += 2) {
            s.put(pairs[i], pairs[i + 1]);
        }
        return s;
    }

    private static OpenProteinProperties props(Emulator.RunningEmulator emulator) {
        return OpenProteinProperties.defaults(emulator.baseUrl()).withTimeouts(Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    private OpenProteinClient client(Emulator.RunningEmulator emulator, OpenProteinProperties props, Sleeper sleeper) {
        return new OpenProteinClient(props, emulator.baseUrl(), new Credentials("demo", "demo"), Clock.systemUTC(),
                sleeper != null ? sleeper : sleeps::add);
    }

    private static Job awaitTerminal(OpenProteinClient client, String jobId) {
        for (int i = 0; i < 600; i++) {
            Job job = client.getJob(jobId);
            if (job.status().isTerminal()) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not finish within 30 s");
    }

    private static String randomSeed() {
        String residues = "ACDEFGHIKLMNPQRSTVWY";
        StringBuilder sb = new StringBuilder("M");
        for (int i = 0; i < 59; i++) {
            sb.append(residues.charAt(RANDOM.nextInt(residues.length())));
        }
        return sb.toString();
    }

    private static void faults(Emulator.RunningEmulator emulator, String json) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = send(put);
        assertThat(r.statusCode()).as("PUT /emulator/faults: %s", r.body()).isBetween(200, 299);
    }

    private static JsonNode stats(Emulator.RunningEmulator emulator) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats"))
                .GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        return WireFormat.JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return ADMIN.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
