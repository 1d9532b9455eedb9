package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Jobs as today's align service answers them: the seed cache, the moment a new job is invisible, the wire form of a
 * job and of its MSA, uploads of a ready MSA, paging, stragglers and the stats that count all this.
 */
class EmulatorJobsIntegrationTests {

    private static final String CREATE = "/api/v1/align/msa";
    private static final String NAIVE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?";

    @TempDir
    Path dataDir;

    private static List<String> ids(HttpResponse<String> r) {
        return EmulatorApiIntegrationTests.ids(r);
    }

    // ---- cache

    @Test
    void answersAKnownSeedFromTheCacheWithANewJobThatIsAlreadyFinished() {
        try (Emulator.Running e = TestEmulators.start(dataDir)) {
            // given: demo's job of a seed has finished
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String alice = c.loginToday("alice", "wonder");
            String first = c.submitOk(demo, ">a\nMKTAYIAKQR:QISFVKSHFS\n");
            c.awaitTerminal(demo, first);
            List<MsaRow> firstMsa = EmulatorClient.rows(c.get("/api/v1/align/inputs?job_id=" + first, demo));
            long hits = c.stats().get("cache_hits").asLong();
            // when: alice sends the same seed, differently written
            HttpResponse<String> r = c.submit(CREATE + "?is_seed=true", alice, "mktayiakqr:\nqisfvkshfs\n");
            // then
            JsonNode job = EmulatorClient.json(r);
            String id = job.get("job_id").asString();
            assertThat(id).isNotEqualTo(first);
            assertThat(job.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(job.get("start_date").isNull()).isTrue();
            assertThat(job.get("end_date").asString()).isEqualTo(job.get("created_date").asString());
            assertThat(EmulatorClient.rows(c.get("/api/v1/align/inputs?job_id=" + id, alice))).isEqualTo(firstMsa);
            assertThat(c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, alice).body())
                    .isEqualTo("seed,MKTAYIAKQR:QISFVKSHFS\n");
            assertThat(c.job(alice, id).get("status").asString()).isEqualTo("SUCCESS");
            JsonNode stats = c.stats();
            assertThat(stats.get("cache_hits").asLong()).isEqualTo(hits + 1);
            assertThat(stats.get("submissions").asLong()).isEqualTo(2);
        }
    }

    @Test
    void createsANormalJobWhenTheEarlierJobOfTheSeedIsNotFinished() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.job-duration", "30s")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String first = c.submitOk(demo, "MKTAYIAKQRWW");
            // when
            JsonNode second = EmulatorClient.json(c.submit(CREATE, demo, "MKTAYIAKQRWW"));
            // then
            assertThat(second.get("job_id").asString()).isNotEqualTo(first);
            assertThat(second.get("status").asString()).isEqualTo("PENDING");
            assertThat(c.stats().get("cache_hits").asLong()).isZero();
        }
    }

    // ---- visibility and result delays

    @Test
    void hidesANewJobForTheVisibilityDelay() {
        MutableClock clock = new MutableClock();
        try (Emulator.Running e = TestEmulators.start(dataDir, clock, "emulator.visibility-delay", "1s")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String id = EmulatorClient.json(c.submit(CREATE, demo, "MKTAYIAKQR")).get("job_id").asString();
            // when
            List<HttpResponse<String>> early = List.of(c.get("/api/v1/jobs/" + id, demo),
                    c.get("/api/v1/jobs/" + id + "/args", demo),
                    c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, demo),
                    c.get("/api/v1/align/inputs?msa_type=GENERATED&job_id=" + id, demo));
            List<String> listedEarly = ids(c.get("/api/v1/jobs", demo));
            clock.advance(Duration.ofMillis(999));
            int almost = c.get("/api/v1/jobs/" + id, demo).statusCode();
            clock.advance(Duration.ofMillis(1));
            // then
            for (HttpResponse<String> r : early) {
                assertThat(r.statusCode()).as(r.request().uri().toString()).isEqualTo(404);
                assertThat(r.body()).isEqualTo("{\"detail\":\"Job not found\"}");
            }
            assertThat(listedEarly).isEmpty();
            assertThat(almost).isEqualTo(404);
            assertThat(c.get("/api/v1/jobs/" + id, demo).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, demo).statusCode()).isEqualTo(200);
            assertThat(ids(c.get("/api/v1/jobs", demo))).containsExactly(id);
        }
    }

    @Test
    void withholdsTheMsaOfAFinishedJobForTheResultDelay() {
        MutableClock clock = new MutableClock();
        try (Emulator.Running e = TestEmulators.start(dataDir, clock, "emulator.result-delay", "30s")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String id = c.submitOk(demo, "MKTAYIAKQR");
            assertThat(c.awaitTerminal(demo, id).get("status").asString()).isEqualTo("SUCCESS");
            // when
            HttpResponse<String> early = c.get("/api/v1/align/inputs?job_id=" + id, demo);
            HttpResponse<String> raw = c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, demo);
            clock.advance(Duration.ofSeconds(30));
            HttpResponse<String> later = c.get("/api/v1/align/inputs?job_id=" + id, demo);
            // then
            assertThat(early.statusCode()).isEqualTo(404);
            assertThat(early.body()).isEqualTo("{\"detail\":\"Requested align not found\"}");
            assertThat(early.headers().firstValue("job_status")).hasValue("SUCCESS");
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(EmulatorClient.rows(later)).containsExactly(new MsaRow("101", "MKTAYIAKQR"));
        }
    }

    // ---- wire form

    @Test
    void sendsAlignJobsWithNaiveDatesANullProgressCounterAndTheJobIdAsMsaId() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T20:01:02.123456Z"));
        try (Emulator.Running e = TestEmulators.start(dataDir, clock)) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            // when
            JsonNode created = EmulatorClient.json(c.submit(CREATE, demo, "MKTAYIAKQR"));
            String id = created.get("job_id").asString();
            JsonNode done = c.awaitTerminal(demo, id);
            // then
            assertThat(created.get("created_date").asString()).isEqualTo("2026-12-01T20:01:02.123456");
            assertThat(created.get("job_type").asString()).isEqualTo("/align/align");
            assertThat(created.get("msa_id").asString()).isEqualTo(id);
            assertThat(created.has("progress_counter")).isTrue();
            assertThat(created.get("progress_counter").isNull()).isTrue();
            assertThat(done.get("progress_counter").isNull()).isTrue();
            assertThat(done.get("start_date").asString()).matches(NAIVE);
            assertThat(done.get("end_date").asString()).matches(NAIVE);
            assertThat(done.get("num_records").asInt()).isEqualTo(1);
        }
    }

    @Test
    void servesFastaForAShareOfJobsWhateverTheClientAccepts() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.fasta-share", "0.5")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                jobs.add(c.submitOk(demo, EmulatorClient.freshSeed()));
            }
            Set<String> types = new HashSet<>();
            for (String id : jobs) {
                c.awaitTerminal(demo, id);
                // when
                HttpResponse<String> plain = c.get("/api/v1/align/inputs?job_id=" + id, demo);
                HttpResponse<String> again = c.send(c.request("/api/v1/align/inputs?job_id=" + id)
                        .header("Authorization", "Bearer " + demo).header("Accept", "text/csv").GET());
                // then
                String type = plain.headers().firstValue("Content-Type").orElseThrow();
                types.add(type.substring(0, type.indexOf(';')));
                assertThat(again.headers().firstValue("Content-Type")).hasValue(type);
                assertThat(again.body()).isEqualTo(plain.body());
                String seed = c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, demo).body()
                        .replace("seed,", "").trim();
                if (type.startsWith("text/x-fasta")) {
                    assertThat(plain.body()).isEqualTo(">101\n" + seed + "\n");
                } else {
                    assertThat(type).startsWith("text/csv");
                    assertThat(plain.body()).isEqualTo("101," + seed + "\n");
                }
            }
            assertThat(types).containsExactlyInAnyOrder("text/x-fasta", "text/csv");
        }
    }

    @Test
    void sendsEveryMsaAsCsvOrEveryMsaAsFastaAtTheExtremeShares() {
        for (String share : List.of("0", "1")) {
            Path dir = dataDir.resolve(share);
            try (Emulator.Running e = TestEmulators.start(dir, "emulator.fasta-share", share)) {
                EmulatorClient c = new EmulatorClient(e.baseUrl());
                String demo = c.loginToday("demo", "demo");
                for (int i = 0; i < 10; i++) {
                    // when
                    String id = c.submitOk(demo, EmulatorClient.freshSeed());
                    c.awaitTerminal(demo, id);
                    // then
                    assertThat(c.get("/api/v1/align/inputs?job_id=" + id, demo).headers()
                            .firstValue("Content-Type").orElseThrow())
                            .startsWith(share.equals("0") ? "text/csv" : "text/x-fasta");
                }
            }
        }
    }

    @Test
    void returnsAnUploadedMsaAsUploadedAfterTheJobRan() {
        try (Emulator.Running e = TestEmulators.start(dataDir)) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String msa = ">query one\nMKTAYIAKQR\n>hit, with a comma\n-KTAY-AKqqQR\n>hit2\nMKT..IAKQR\n";
            // when
            JsonNode created = EmulatorClient.json(c.submit(CREATE + "?is_seed=False", demo, msa));
            String id = created.get("job_id").asString();
            JsonNode done = c.awaitTerminal(demo, id);
            HttpResponse<String> generated = c.get("/api/v1/align/inputs?job_id=" + id, demo);
            HttpResponse<String> raw = c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, demo);
            JsonNode args = EmulatorClient.json(c.get("/api/v1/jobs/" + id + "/args", demo));
            JsonNode seedJob = EmulatorClient.json(c.submit(CREATE, demo, "MKTAYIAKQR"));
            // then
            assertThat(created.get("status").asString()).isEqualTo("PENDING");
            assertThat(done.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(done.get("num_records").asInt()).isEqualTo(3);
            assertThat(EmulatorClient.rows(generated)).containsExactly(new MsaRow("query one", "MKTAYIAKQR"),
                    new MsaRow("hit, with a comma", "-KTAY-AKqqQR"), new MsaRow("hit2", "MKT..IAKQR"));
            assertThat(raw.body()).isEqualTo("seed,MKTAYIAKQR\n");
            assertThat(args.get("is_seed").asBoolean()).isFalse();
            // an uploaded MSA is no search result: the same seed sent as a seed is searched, not taken from cache
            assertThat(seedJob.get("status").asString()).isEqualTo("PENDING");
            assertThat(c.submit(CREATE + "?is_seed=0", demo, ">a\nMKT\n>b\nMK1\n").statusCode()).isEqualTo(400);
        }
    }

    // ---- listing

    @Test
    void capsThePageSizeSilentlyAndPagesNewestFirst() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.max-page-size", "3")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                created.add(c.submitOk(demo, EmulatorClient.freshSeed()));
            }
            List<String> newestFirst = new ArrayList<>(created);
            java.util.Collections.reverse(newestFirst);
            long listedBefore = c.stats().get("jobs_listed").asLong();
            // when
            List<String> big = ids(c.get("/api/v1/jobs?page_size=1000", demo));
            List<String> byLimit = ids(c.get("/api/v1/jobs?limit=50", demo));
            List<String> byDefault = ids(c.get("/api/v1/jobs", demo));
            List<String> second = ids(c.get("/api/v1/jobs?page_size=1000&page_offset=3", demo));
            HttpResponse<String> zero = c.get("/api/v1/jobs?page_size=0", demo);
            // then
            assertThat(big).isEqualTo(newestFirst.subList(0, 3));
            assertThat(byLimit).isEqualTo(newestFirst.subList(0, 3));
            assertThat(byDefault).isEqualTo(newestFirst.subList(0, 3));
            assertThat(second).isEqualTo(newestFirst.subList(3, 5));
            assertThat(zero.statusCode()).isEqualTo(422);
            assertThat(c.stats().get("jobs_listed").asLong()).isEqualTo(listedBefore + 11);
        }
    }

    @Test
    void listsFromTheUserCreatedIndexWithoutSorting() {
        try (Emulator.Running e = TestEmulators.start(dataDir)) {
            // given
            JobStore store = e.context().getBean(JobStore.class);
            // when
            List<String> plans = List.of(store.explainList(null, null, null),
                    store.explainList(null, "/align/align", 1L), store.explainList("SUCCESS", null, 1L));
            // then
            for (String plan : plans) {
                assertThat(plan).contains("EMULATOR_JOB_USER_CREATED").contains("index sorted");
            }
        }
    }

    // ---- stragglers

    @Test
    void keepsStragglersPendingWithoutTakingASlot() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.max-running-jobs-per-user", "1",
                "emulator.straggler-first", "1", "emulator.straggler-duration", "1500ms",
                "emulator.job-duration", "100ms")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String straggler = c.submitOk(demo, EmulatorClient.freshSeed());
            String next = c.submitOk(demo, EmulatorClient.freshSeed());
            // when
            JsonNode nextDone = c.awaitTerminal(demo, next);
            String stragglerMeanwhile = c.job(demo, straggler).get("status").asString();
            JsonNode stragglerDone = c.awaitTerminal(demo, straggler);
            // then
            assertThat(nextDone.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(stragglerMeanwhile).isEqualTo("PENDING");
            assertThat(stragglerDone.get("status").asString()).isEqualTo("SUCCESS");
            Instant created = EmulatorClient.instant(stragglerDone.get("created_date").asString());
            Instant started = EmulatorClient.instant(stragglerDone.get("start_date").asString());
            assertThat(Duration.between(created, started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(EmulatorClient.instant(nextDone.get("end_date").asString())).isBefore(started);
            assertThat(c.stats().get("stragglers").asLong()).isEqualTo(1);
        }
    }

    // ---- stats

    @Test
    void countsCacheHitsDistinctSeedsAndSeedsAUserPaidForTwice() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.job-duration", "30s")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String demo = c.loginToday("demo", "demo");
            String alice = c.loginToday("alice", "wonder");
            // when
            c.submitOk(demo, "MKTAYIAKQRX");
            c.submitOk(demo, "MKTAYIAKQRX"); // demo pays twice for one seed
            c.submitOk(demo, "MKTAYIAKQRX"); // still one seed paid for more than once
            c.submitOk(alice, "MKTAYIAKQRX"); // alice once: not twice
            c.submitOk(alice, "WWWWWWWWWW");
            c.get("/api/v1/jobs", demo);
            JsonNode stats = c.stats();
            // then
            assertThat(stats.get("submissions").asLong()).isEqualTo(5);
            assertThat(stats.get("submissions_since_start").asLong()).isEqualTo(5);
            assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(2);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isEqualTo(1);
            assertThat(stats.get("cache_hits").asLong()).isZero();
            assertThat(stats.get("jobs_listed").asLong()).isEqualTo(3);
            assertThat(stats.get("jobs_by_status").get("PENDING").asLong()
                    + stats.get("jobs_by_status").get("RUNNING").asLong()).isEqualTo(5);
            assertThat(stats.get("requests_by_route").get("POST /api/v1/poet/align/msa").asLong()).isEqualTo(5);
        }
        // when restarted, the whole-data-dir counts are read back from the database
        try (Emulator.Running e = TestEmulators.start(dataDir)) {
            JsonNode stats = new EmulatorClient(e.baseUrl()).stats();
            assertThat(stats.get("submissions").asLong()).isEqualTo(5);
            assertThat(stats.get("submissions_since_start").asLong()).isZero();
            assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(2);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isEqualTo(1);
        }
    }
}
