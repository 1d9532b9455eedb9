package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.net.ServerSocket;
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
 * The client against the real emulator over real HTTP on a free loopback port, serving only today's routes
 * ({@code emulator.routes=current}) and as strict as today's service (a new job invisible for a second, half the MSAs
 * as FASTA, pages capped, CloudFront pages for 5xx), so a client that leans on the older behaviour fails here. Faults are switched at run time
 * through the emulator's admin route; the injected sleeper records the waits instead of sleeping (and, where a test
 * needs a burst to end, switches the fault off), so no test waits for backoff.
 */
class OpenProteinClientIntegrationTests {

    private static final String MSA_ROUTE = "POST /api/v1/align/msa";
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
        faults(shared, "{\"http-5xx\":0,\"http-429\":0,\"disconnect\":0,\"job-failure\":0,\"retrying\":0,"
                + "\"http-5xx-after-create\":0,\"http-504\":0,\"routes\":null}");
    }

    @Test
    void submitsSeedAndStreamsItsMsaOnceSucceeded(@TempDir Path out) throws IOException {
        // given
        OpenProteinClient client = client(shared, props(shared), null);
        String seed = randomSeed();

        // when
        Job submitted = client.submitMsa(seed);
        Job done = awaitTerminal(client, submitted.jobId());
        Path target = out.resolve("msa/seed.msa");
        MsaDownload msa = client.downloadMsa(submitted.jobId(), target);

        // then: the answer is read as what its Content-Type says
        assertThat(submitted.jobType()).isEqualTo("/align/align");
        assertThat(submitted.status().isTerminal()).isFalse();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(done.createdDate()).as("naive dates are read as UTC").isNotNull();
        List<String> lines;
        try (java.io.BufferedReader in = msa.open()) {
            lines = in.lines().toList();
        }
        assertThat(target).as("a small answer is held in memory, not saved").doesNotExist();
        if (msa.format() == MsaDownload.Format.FASTA) {
            assertThat(lines.subList(0, 2)).containsExactly(">101", seed);
        } else {
            assertThat(lines.get(0)).isEqualTo("101," + seed);
        }
        assertThat(client.fetchSeed(submitted.jobId())).isEqualTo(seed);
    }

    @Test
    void readsBothFormatsTheServiceSends(@TempDir Path out) {
        // given: the emulator answers about half the jobs in FASTA (text/x-fasta), the rest in CSV
        OpenProteinClient client = client(shared, props(shared), null);
        java.util.Set<MsaDownload.Format> seen = java.util.EnumSet.noneOf(MsaDownload.Format.class);

        // when
        for (int i = 0; i < 12 && seen.size() < 2; i++) {
            Job job = client.submitMsa(randomSeed());
            awaitTerminal(client, job.jobId());
            seen.add(client.downloadMsa(job.jobId(), out.resolve(i + ".msa")).format());
        }

        // then
        assertThat(seen).containsExactlyInAnyOrder(MsaDownload.Format.FASTA, MsaDownload.Format.CSV);
    }

    @Test
    void aNewJobIsNotVisibleForAMomentThenIs() {
        // given a job just created (the emulator, like the service, shows it after a second)
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());

        // when / then: at first it answers 404 (the waiter treats that as "not visible yet"), then it is there
        assertThatThrownBy(() -> client.getJob(job.jobId())).isInstanceOf(JobNotFoundException.class);
        assertThat(visible(client, job.jobId()).jobId()).isEqualTo(job.jobId());
    }

    @Test
    void anIdenticalSeedIsAnsweredFromTheServiceCacheAlreadyDone() {
        // given a seed whose job succeeded
        OpenProteinClient client = client(shared, props(shared), null);
        String seed = randomSeed();
        awaitTerminal(client, client.submitMsa(seed).jobId());

        // when
        Job again = client.submitMsa(seed);

        // then
        assertThat(again.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(again.startDate()).isNull();
    }

    @Test
    void sendsAComplexAsIsAndReadsItsSeedBack() {
        OpenProteinClient client = client(shared, props(shared), null);
        String complex = randomSeed() + ":" + randomSeed();

        Job job = client.submitMsa(complex);

        assertThat(visibleSeed(client, job.jobId())).isEqualTo(complex);
    }

    @Test
    void aGatewayPageAfterTheJobWasStoredIsUncertainNeverResent() {
        // given: the POST stores the job, then CloudFront answers 503
        faults(shared, "{\"http-5xx-after-create\":1.0}");
        long before = stats(shared).path("submissions").asLong();
        OpenProteinClient client = client(shared, props(shared), sleeps::add);

        // when / then
        assertThatThrownBy(() -> client.submitMsa(randomSeed()))
                .isInstanceOfSatisfying(UncertainSubmissionException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.detail()).startsWith("HTML error page from CloudFront");
                });
        assertThat(stats(shared).path("submissions").asLong() - before).as("stored once, not sent again").isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aDownloadThatKeepsTimingOutAtTheGatewayIsTransientAfterItsRetries(@TempDir Path out) {
        // given a succeeded job whose MSA download answers 504 every time
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = client.submitMsa(randomSeed());
        awaitTerminal(client, job.jobId());
        faults(shared, "{\"http-504\":1.0}");
        OpenProteinClient patient = client(shared,
                props(shared).withRetry(new OpenProteinProperties.Retry(3, Duration.ofMillis(10), Duration.ofMillis(20))),
                sleeps::add);

        // when / then
        assertThatThrownBy(() -> patient.downloadMsa(job.jobId(), out.resolve("big.msa")))
                .isInstanceOfSatisfying(TransientApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(504);
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.getMessage()).doesNotContain("<");
                });
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void walksEveryPageWhenTheServerCapsThePageSize(@TempDir Path dir) {
        // given an emulator whose pages hold at most 3 jobs whatever the client asks
        try (Emulator.RunningEmulator emulator = Emulator.start(settings(dir, "emulator.max-page-size", "3",
                "emulator.visibility-delay", "0"))) {
            OpenProteinClient client = client(emulator, props(emulator), null);
            Instant since = Instant.now().minusSeconds(2);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(client.submitMsa(randomSeed()).jobId());
            }

            // when the client asks for pages of 100
            List<Job> jobs = client.listJobs(new JobQuery(null, "/align/align", since, 100));

            // then it still gets all eight (pages of 3, 3, 2, then an empty one)
            assertThat(jobs).extracting(Job::jobId).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void theOlderRoutesWorkWhereTheServiceHasThemAndTodaysAreTheDefault(@TempDir Path dir) {
        // given a service of the 2023 jobs page only
        try (Emulator.RunningEmulator old = Emulator.start(settings(dir, "emulator.routes", "poet"))) {
            // when / then: the default client cannot create a job there; openprotein.paths=poet can
            OpenProteinClient today = client(old, props(old), null);
            assertThatThrownBy(() -> today.submitMsa(randomSeed())).isInstanceOf(OpenProteinException.class)
                    .hasMessageContaining("/api/v1/align/msa");
            OpenProteinClient poet = client(old, props(old).withPaths(OpenProteinProperties.Paths.POET), null);
            String seed = randomSeed();
            Job job = poet.submitMsa(seed);
            assertThat(visibleSeed(poet, job.jobId())).isEqualTo(seed);
        }
    }

    @Test
    void answersNotReadyWith409BeforeSuccess(@TempDir Path out) {
        // given a job that takes five seconds, visible by now
        try (Emulator.RunningEmulator slow = Emulator.start(settings(out.resolve("slow"), "emulator.job-duration", "5s"))) {
            OpenProteinClient client = client(slow, props(slow), null);
            Job job = visible(client, client.submitMsa(randomSeed()).jobId());

            // when / then
            Path target = out.resolve("early.csv");
            assertThatThrownBy(() -> client.downloadMsa(job.jobId(), target))
                    .isInstanceOfSatisfying(JobNotReadyException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.jobStatus().isTerminal()).isFalse();
                        assertThat(e.jobId()).isEqualTo(job.jobId());
                    });
            assertThat(target).doesNotExist();
            // the RAW seed is there in every status
            assertThat(client.fetchSeed(job.jobId())).isNotBlank();
        }
    }

    @Test
    void walksAllPagesOfTheJobList() {
        // given five new jobs, visible by now
        OpenProteinClient client = client(shared, props(shared), null);
        Instant since = Instant.now().minusMillis(1000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.submitMsa(randomSeed()).jobId());
        }
        visible(client, ids.get(4));
        long before = client.requestCount();

        // when pages of two are asked for
        List<Job> jobs = client.listJobs(new JobQuery(null, "/align/align", since, 2));

        // then pages of 2, 2 and 1 gave all five; the short one ends the walk once a full page showed the size is
        // honoured (shared emulator: other tests' jobs may be listed too, so at least five and at most one page more)
        assertThat(jobs).extracting(Job::jobId).containsAll(ids);
        assertThat(client.requestCount() - before).isBetween(3L, (jobs.size() + 1) / 2 + 1L);
    }

    @Test
    void honoursRetryAfterOn429() {
        // given every job GET answered 429 with Retry-After: 1, until the first wait
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = visible(client, client.submitMsa(randomSeed()).jobId());
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
        Job job = visible(client, client.submitMsa(randomSeed()).jobId());
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
        Job job = visible(client, client.submitMsa(randomSeed()).jobId());
        faults(shared, "{\"http-5xx\":1.0,\"routes\":\"GET /api/v1/jobs/.*\"}");
        OpenProteinClient patient = client(shared,
                props(shared).withRetry(new OpenProteinProperties.Retry(3, Duration.ofMillis(500), Duration.ofSeconds(30))),
                sleeps::add);
        List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
        patient.addListener(new RequestListener() {
            @Override
            public void exchanged(String route, int status, long nanos) {
            }

            @Override
            public void retrying(String route) {
                retried.add(route);
            }
        });

        // when / then
        assertThatThrownBy(() -> patient.getJob(job.jobId()))
                .isInstanceOfSatisfying(TransientApiException.class, e -> {
                    assertThat(e.status()).isBetween(500, 599);
                    assertThat(e.route()).isEqualTo("GET /api/v1/jobs/{job_id}");
                    assertThat(e.jobId()).isEqualTo(job.jobId());
                });
        assertThat(sleeps).hasSize(2);
        assertThat(patient.requestCount()).isEqualTo(1 + 3);
        // listeners hear of the two retries, not of the third failure that ended the call
        assertThat(retried).containsExactly("GET /api/v1/jobs/{job_id}", "GET /api/v1/jobs/{job_id}");
    }

    @Test
    void retriesAGetWhoseConnectionWasDropped() {
        // given the next job GET loses its connection
        OpenProteinClient client = client(shared, props(shared), null);
        Job job = visible(client, client.submitMsa(randomSeed()).jobId());
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
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
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

            // when the run goes on past the token's life (renewed with today's rotating refresh token)
            Thread.sleep(2500);
            Job later = client.getJob(job.jobId());

            // then the token was renewed ahead of time: login, POST, refresh, GET, and no refused request
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

            // then login, POST, GET (401), refresh, GET
            assertThat(later.jobId()).isEqualTo(job.jobId());
            assertThat(client.requestCount()).isEqualTo(5);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void logsInAgainWhenTheServiceRefusesTheRefreshToken(@TempDir Path dir) {
        // given a client holding today's token pair, and then a service that no longer knows that pair: the
        // emulator keeps tokens in memory, so once restarted on the same port and data dir it answers the refresh
        // 401 "Invalid refresh token", as it answers a rotated refresh token used again
        Map<String, String> s = settings(dir, "server.port", Integer.toString(freePort()),
                "emulator.visibility-delay", "0");
        OpenProteinClient client;
        Job job;
        try (Emulator.RunningEmulator before = Emulator.start(s)) {
            client = client(before, props(before), null);
            job = client.submitMsa(randomSeed());
        }
        try (Emulator.RunningEmulator after = Emulator.start(s)) {
            // when
            Job again = client.getJob(job.jobId());

            // then: the GET refused (old access token), the refresh tried and refused, a fresh login, the GET again
            assertThat(again.jobId()).isEqualTo(job.jobId());
            JsonNode byRoute = stats(after).path("requests_by_route");
            assertThat(byRoute.path("GET /api/v1/jobs/{job_id}").asLong()).as("refused, then repeated once").isEqualTo(2);
            assertThat(byRoute.path("POST /api/v1/auth/refresh").asLong()).as("refresh tried once").isEqualTo(1);
            assertThat(byRoute.path("POST /api/v1/auth/login").asLong()).as("a fresh login once").isEqualTo(1);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void logsInAgainWhenTheRefreshRouteAnswers404(@TempDir Path dir) {
        // given a client that logged in on today's routes, and then the service back on the same port serving only
        // the 2023 jobs page's routes: POST /auth/refresh and /auth/login answer 404 {"detail":"Not Found"}
        int port = freePort();
        Map<String, String> today = settings(dir, "server.port", Integer.toString(port), "emulator.visibility-delay", "0");
        Map<String, String> poet = settings(dir, "server.port", Integer.toString(port), "emulator.visibility-delay", "0",
                "emulator.routes", "poet");
        OpenProteinClient client;
        Job job;
        try (Emulator.RunningEmulator before = Emulator.start(today)) {
            client = client(before, props(before), null);
            job = client.submitMsa(randomSeed());
        }
        try (Emulator.RunningEmulator after = Emulator.start(poet)) {
            // when
            Job again = client.getJob(job.jobId());

            // then: the 404 of the refresh is a refusal, not a lost job: the client logs in (falling back to the
            // older login route) and repeats the GET
            assertThat(again.jobId()).isEqualTo(job.jobId());
            JsonNode byRoute = stats(after).path("requests_by_route");
            assertThat(byRoute.path("GET /api/v1/jobs/{job_id}").asLong()).as("refused, then repeated once").isEqualTo(2);
            assertThat(byRoute.path("POST /api/v1/auth/refresh").asLong()).as("refresh tried once").isEqualTo(1);
            assertThat(byRoute.path("POST /api/v1/auth/login").asLong()).as("today's login tried once").isEqualTo(1);
            assertThat(byRoute.path("POST /api/v1/login/access-token").asLong()).as("then the older one").isEqualTo(1);
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

    /** The job once the service shows it (a new job is invisible for a moment). */
    private static Job visible(OpenProteinClient client, String jobId) {
        for (int i = 0; i < 100; i++) {
            try {
                return client.getJob(jobId);
            } catch (JobNotFoundException notYet) {
                pause();
            }
        }
        throw new AssertionError("job " + jobId + " never became visible");
    }

    private static String visibleSeed(OpenProteinClient client, String jobId) {
        visible(client, jobId);
        return client.fetchSeed(jobId);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port free now, for an emulator that must come back on the same address. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> settings(Path dir, String... pairs) {
        Map<String, String> s = new HashMap<>();
        s.put("emulator.routes", "current");
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
        visible(client, jobId);
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
