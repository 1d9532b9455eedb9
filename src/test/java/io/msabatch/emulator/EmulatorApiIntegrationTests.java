package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole contract over real HTTP against one emulator (search mode, 200 ms jobs, 3 running per user, both eras'
 * routes). New jobs are visible at once here; the visibility delay has its own tests.
 */
class EmulatorApiIntegrationTests {

    static final String SHORT_SEED = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQ";

    @TempDir
    static Path dataDir;
    static Emulator.RunningEmulator emulator;
    static EmulatorClient client;
    static String demo;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(Map.of("server.port", "0", "emulator.data-dir", dataDir.toString(),
                "emulator.users", "demo:demo,alice:wonder,lister:pw", "emulator.job-duration", "200ms",
                "emulator.max-running-jobs-per-user", "3", "emulator.max-seed-length", "2000",
                "emulator.max-upload-size", "64KB", "emulator.visibility-delay", "0"));
        client = new EmulatorClient(emulator.baseUrl());
        demo = client.login("demo", "demo");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void healthy() {
        client.putJson("/emulator/faults", "{\"http-5xx\":0,\"http-429\":0,\"disconnect\":0,\"job-failure\":0,"
                + "\"retrying\":0,\"canceled\":0,\"http-5xx-after-create\":0,\"http-504\":0,\"routes\":null}");
    }

    static String resource(String name) {
        try (InputStream in = EmulatorApiIntegrationTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first record of seeds.fasta (Q1D766, 30S ribosomal protein S17, 108 residues). */
    static String ribosomalS17Fasta() {
        String all = resource("seeds.fasta");
        return all.substring(0, all.indexOf('>', 1));
    }

    // ---- auth

    @Test
    void logsInOnAllThreePaths() {
        // when
        HttpResponse<String> form = client.postForm("/api/v1/login/user-access-token",
                Map.of("username", "demo", "password", "demo"));
        HttpResponse<String> query = client.send(client.request(
                "/api/v1/login/user-access-token?username=demo&password=demo").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> alias = client.postForm("/api/v1/login/access-token",
                Map.of("username", "alice", "password", "wonder"));
        HttpResponse<String> today = client.send(client.request("/api/v1/auth/login")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Token-Delivery", "body")
                .POST(HttpRequest.BodyPublishers.ofString("username=demo&password=demo")));
        // then
        for (HttpResponse<String> r : List.of(form, query, alias, today)) {
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = EmulatorClient.json(r);
            assertThat(body.get("token_type").asString()).isEqualTo("bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(900);
            assertThat(body.get("access_token").asString()).hasSizeGreaterThan(20);
        }
        assertThat(EmulatorClient.json(form).has("refresh_token")).isFalse();
        assertThat(EmulatorClient.json(alias).has("refresh_token")).isFalse();
        assertThat(EmulatorClient.json(today).get("refresh_token").asString()).isNotBlank();
        String token = EmulatorClient.json(today).get("access_token").asString();
        assertThat(client.send(client.request("/api/v1/jobs").header("Authorization", "BEARER " + token).GET())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsBadCredentialsWith401() {
        // when
        HttpResponse<String> r = client.postForm("/api/v1/login/user-access-token",
                Map.of("username", "demo", "password", "wrong"));
        HttpResponse<String> unknown = client.postForm("/api/v1/auth/login",
                Map.of("username", "mallory", "password", "demo"));
        // then
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"detail\":\"Incorrect username or password\"}");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void answersUnknownRoutesAndMethodsWithDetailBodies() {
        // when
        HttpResponse<String> unknown = client.get("/api/v1/no/such/route", demo);
        HttpResponse<String> method = client.send(client.request("/api/v1/jobs").DELETE()
                .header("Authorization", "Bearer " + demo));
        // then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.body()).contains("detail");
    }

    @Test
    void rotatesRefreshTokens() {
        // given
        JsonNode first = EmulatorClient.json(client.send(client.request("/api/v1/auth/login")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Token-Delivery", "body")
                .POST(HttpRequest.BodyPublishers.ofString("username=demo&password=demo"))));
        String refresh = first.get("refresh_token").asString();
        // when
        HttpResponse<String> renewed = refresh(refresh);
        HttpResponse<String> reused = refresh(refresh);
        // then
        assertThat(renewed.statusCode()).isEqualTo(200);
        JsonNode pair = EmulatorClient.json(renewed);
        assertThat(pair.get("refresh_token").asString()).isNotEqualTo(refresh);
        assertThat(client.get("/api/v1/jobs", pair.get("access_token").asString()).statusCode()).isEqualTo(200);
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(client.postJson("/api/v1/auth/refresh", "{}").statusCode()).isEqualTo(422);
    }

    private static HttpResponse<String> refresh(String refreshToken) {
        return client.send(client.request("/api/v1/auth/refresh").header("Content-Type", "application/json")
                .header("X-Token-Delivery", "body")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken + "\"}")));
    }

    @Test
    void answersNotAuthenticatedForMissingOrMalformedTokens() {
        // when
        HttpResponse<String> none = client.get("/api/v1/jobs", null);
        HttpResponse<String> garbage = client.get("/api/v1/jobs", "not-a-token");
        HttpResponse<String> badScheme = client.send(client.request("/api/v1/jobs")
                .header("Authorization", "Basic " + demo).GET());
        // then
        for (HttpResponse<String> r : List.of(none, garbage, badScheme)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"detail\":\"Not authenticated\"}");
        }
    }

    // ---- jobs and MSA

    @Test
    void runsAJobThroughItsLifeCycleAndServesARealMsa() {
        // given
        String fasta = ribosomalS17Fasta();
        String seed = fasta.substring(fasta.indexOf('\n') + 1).replace("\n", "");
        // when
        HttpResponse<String> created = client.submit(demo, fasta);
        JsonNode job = EmulatorClient.json(created);
        String id = job.get("job_id").asString();
        HttpResponse<String> early = client.get("/api/v1/poet/align/msa?job_id=" + id, demo);
        JsonNode done = client.awaitTerminal(demo, id);
        HttpResponse<String> msa = client.get("/api/v1/poet/align/msa?job_id=" + id, demo);
        HttpResponse<String> asFasta = client.send(client.request("/api/v1/align/inputs?job_id=" + id)
                .header("Authorization", "Bearer " + demo).header("Accept", "text/x-fasta").GET());
        // then
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(job.get("status").asString()).isEqualTo("PENDING");
        assertThat(job.get("job_type").asString()).isEqualTo("/align/align");
        assertThat(job.get("msa_id").asString()).isEqualTo(id);
        assertThat(job.get("sequence_length").asInt()).isEqualTo(seed.length());
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.headers().firstValue("job_status")).isPresent();
        assertThat(EmulatorClient.json(early).get("detail").asString())
                .startsWith("Job " + id + " has not produced results yet (status: ")
                .endsWith("Results are only available once the job completes successfully.");
        assertThat(done.get("status").asString()).isEqualTo("SUCCESS");
        assertThat(done.get("start_date").asString()).isNotNull();
        assertThat(EmulatorClient.instant(done.get("end_date").asString()))
                .isAfterOrEqualTo(EmulatorClient.instant(done.get("created_date").asString()));
        assertThat(msa.statusCode()).isEqualTo(200);
        assertThat(msa.headers().firstValue("job_status")).hasValue("SUCCESS");
        List<MsaRow> rows = EmulatorClient.rows(msa);
        assertThat(rows.get(0)).isEqualTo(new MsaRow("101", seed));
        assertThat(rows).hasSizeGreaterThan(5);
        assertThat(done.get("num_records").asInt()).isEqualTo(rows.size());
        for (MsaRow row : rows.subList(1, rows.size())) {
            assertThat(row.sequence().replaceAll("[a-z]", "")).hasSize(seed.length()).matches("[A-Z-]+");
            String[] stats = row.name().split("\t");
            assertThat(stats).hasSize(10);
            assertThat(Double.parseDouble(stats[3])).isLessThanOrEqualTo(1e-3);
            assertThat(Integer.parseInt(stats[6])).isEqualTo(seed.length());
        }
        assertThat(rows.stream().anyMatch(r -> r.name().contains("RS17") || r.name().contains("RL"))).isTrue();
        // the server picks the format per job; the Accept header does not change it
        assertThat(asFasta.headers().firstValue("Content-Type")).isEqualTo(msa.headers().firstValue("Content-Type"));
        assertThat(EmulatorClient.rows(asFasta)).isEqualTo(rows);
    }

    @Test
    void servesTheRawSeedInEveryStatusOnAllAliases() {
        // given
        String id = client.submitOk(demo, "mktayiakqr:QISFVKSHFS");
        // when
        HttpResponse<String> raw = client.get("/api/v1/align/inputs?job_id=" + id + "&msa_type=RAW", demo);
        HttpResponse<String> rawAsFasta = client.send(client.request("/api/v1/poet/align/inputs?msa_type=raw&job_id="
                + id).header("Authorization", "Bearer " + demo).header("Accept", "text/x-fasta").GET());
        // then
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo("seed,MKTAYIAKQR:QISFVKSHFS\n");
        assertThat(raw.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(raw.headers().firstValue("job_status")).isPresent();
        assertThat(rawAsFasta.body()).isEqualTo("seed,MKTAYIAKQR:QISFVKSHFS\n");
        client.awaitTerminal(demo, id);
        assertThat(client.get("/api/v1/poet/align/msa?job_id=" + id + "&msa_type=RAW", demo).body())
                .isEqualTo("seed,MKTAYIAKQR:QISFVKSHFS\n");
        List<MsaRow> msa = EmulatorClient.rows(client.get("/api/v1/poet/align/msa?job_id=" + id, demo));
        assertThat(msa.get(0)).isEqualTo(new MsaRow("101", "MKTAYIAKQRQISFVKSHFS"));
    }

    @Test
    void acceptsBareSequenceFastaAndHeaderlessCsv() {
        // when
        String bare = client.submitOk(demo, "MKTAYIAKQR\nQISFVKSHFS\n");
        String csv = client.submitOk(demo, "first,MKTAYIAKQR\nsecond,WWWWWWWW\n");
        String fasta = client.submitOk(demo, ">a\nmktay\niakqr\n>b\nWWWW\n");
        // then
        for (String id : List.of(bare, csv, fasta)) {
            assertThat(client.get("/api/v1/align/msa?msa_type=RAW&job_id=" + id, demo).body())
                    .isIn("seed,MKTAYIAKQRQISFVKSHFS\n", "seed,MKTAYIAKQR\n");
        }
        assertThat(client.get("/api/v1/align/msa?msa_type=RAW&job_id=" + csv, demo).body())
                .isEqualTo("seed,MKTAYIAKQR\n");
    }

    @Test
    void isolatesUsers() {
        // given
        String id = client.submitOk(demo, SHORT_SEED);
        String alice = client.login("alice", "wonder");
        // when
        HttpResponse<String> job = client.get("/api/v1/jobs/" + id, alice);
        HttpResponse<String> msa = client.get("/api/v1/poet/align/msa?msa_type=RAW&job_id=" + id, alice);
        HttpResponse<String> args = client.get("/api/v1/jobs/" + id + "/args", alice);
        List<String> aliceIds = ids(client.get("/api/v1/jobs?page_size=1000", alice));
        // then
        for (HttpResponse<String> r : List.of(job, msa, args)) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"detail\":\"Job not found\"}");
        }
        assertThat(aliceIds).doesNotContain(id);
        assertThat(client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000", demo).statusCode())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/poet/align/msa?job_id=nope", demo).statusCode()).isEqualTo(404);
    }

    @Test
    void returnsTheSubmittedArgs() {
        // given
        String id = client.submitOk(demo, SHORT_SEED);
        // when
        HttpResponse<String> r = client.get("/api/v1/jobs/" + id + "/args", demo);
        // then
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode args = EmulatorClient.json(r);
        assertThat(args.get("is_seed").asBoolean()).isTrue();
        assertThat(args.get("msa_file").asString()).isEqualTo("seed.fasta");
    }

    static List<String> ids(HttpResponse<String> r) {
        List<String> ids = new ArrayList<>();
        EmulatorClient.json(r).forEach(j -> ids.add(j.get("job_id").asString()));
        return ids;
    }

    @Test
    void listsJobsNewestFirstWithFiltersAndPaging() {
        // given
        String bob = loginFresh();
        Instant before = Instant.now();
        EmulatorClient.sleep(5);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(client.submitOk(bob, SHORT_SEED.substring(i)));
        }
        // when
        List<String> all = ids(client.get("/api/v1/jobs", bob));
        List<String> page1 = ids(client.get("/api/v1/jobs?page_size=2", bob));
        List<String> page2 = ids(client.get("/api/v1/jobs?limit=2&page_offset=2", bob));
        List<String> recent = ids(client.get("/api/v1/jobs?job_type=/align/align&more_recent_than="
                + EmulatorClient.enc(before.toString()), bob));
        List<String> naive = ids(client.get("/api/v1/jobs?more_recent_than=" + before.toString().replace("Z", ""),
                bob));
        List<String> future = ids(client.get("/api/v1/jobs?more_recent_than=2999-01-01T00:00:00%2B00:00", bob));
        List<String> otherType = ids(client.get("/api/v1/jobs?job_type=/embeddings/embed", bob));
        created.forEach(id -> client.awaitTerminal(bob, id));
        List<String> success = ids(client.get("/api/v1/jobs?status=SUCCESS", bob));
        List<String> pending = ids(client.get("/api/v1/jobs?status=PENDING", bob));
        // then
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(all).isEqualTo(newestFirst);
        assertThat(page1).isEqualTo(newestFirst.subList(0, 2));
        assertThat(page2).isEqualTo(newestFirst.subList(2, 4));
        assertThat(recent).isEqualTo(newestFirst);
        assertThat(naive).isEqualTo(newestFirst);
        assertThat(future).isEmpty();
        assertThat(otherType).isEmpty();
        assertThat(success).containsExactlyElementsOf(newestFirst);
        assertThat(pending).isEmpty();
    }

    /** A user only the listing test uses, so that its list is not disturbed by other tests. */
    private static String loginFresh() {
        return client.login("lister", "pw");
    }

    @Test
    void rejectsInvalidQueryValuesWith422ListForm() {
        for (String query : List.of("page_size=0", "page_size=abc", "limit=-1", "page_offset=-3",
                "status=DONE", "more_recent_than=yesterday")) {
            // when
            HttpResponse<String> r = client.get("/api/v1/jobs?" + query, demo);
            // then
            assertThat(r.statusCode()).as(query).isEqualTo(422);
            JsonNode detail = EmulatorClient.json(r).get("detail");
            assertThat(detail.isArray()).isTrue();
            assertThat(detail.get(0).get("loc").get(0).asString()).isEqualTo("query");
            assertThat(detail.get(0).has("msg")).isTrue();
            assertThat(detail.get(0).has("type")).isTrue();
        }
        assertThat(client.get("/api/v1/poet/align/msa?job_id=x&msa_type=WRONG", demo).statusCode()).isEqualTo(422);
        assertThat(client.get("/api/v1/poet/align/msa", demo).statusCode()).isEqualTo(422);
    }

    // ---- bad uploads

    @Test
    void rejectsMissingMsaFileWith422ListForm() {
        // when
        HttpResponse<String> r = client.send(client.multipart("/api/v1/poet/align/msa", demo, null,
                "MKT".getBytes(StandardCharsets.UTF_8)));
        // then
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode d = EmulatorClient.json(r).get("detail").get(0);
        assertThat(d.get("loc").get(1).asString()).isEqualTo("msa_file");
        assertThat(d.get("type").asString()).isEqualTo("missing");
    }

    @Test
    void rejectsEmptyInvalidAndTooLongSeedsWith400() {
        long before = client.stats().get("submissions").asLong();
        for (String bad : List.of("", "  \n", ">only a header\n", "MKT1AY", "MKT*", "MK TA#Y", "<html>",
                "name,sequence\n", ":MKT", "A".repeat(2001))) {
            // when
            HttpResponse<String> r = client.submit(demo, bad);
            // then
            assertThat(r.statusCode()).as(bad.length() > 20 ? "long seed" : bad).isEqualTo(400);
            assertThat(EmulatorClient.json(r).get("detail").asString()).isNotBlank();
        }
        assertThat(EmulatorClient.json(client.submit(demo, "A".repeat(2001))).get("detail").asString())
                .contains("too long");
        assertThat(client.stats().get("submissions").asLong()).isEqualTo(before);
        assertThat(client.get("/emulator/health", null).body()).contains("UP");
    }

    @Test
    void rejectsAnUploadOverTheSizeLimitWith413() {
        // when
        HttpResponse<String> r = client.send(client.multipart("/api/v1/poet/align/msa", demo, "msa_file",
                "A".repeat(100 * 1024).getBytes(StandardCharsets.UTF_8)));
        // then
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(EmulatorClient.json(r).get("detail").asString()).isNotBlank();
        assertThat(client.submit(demo, SHORT_SEED).statusCode()).isEqualTo(200);
    }

    // ---- faults

    @Test
    void injects429WithRetryAfterBeforeProcessing() {
        // given
        client.putJson("/emulator/faults", "{\"http-429\":1,\"retry-after\":2}");
        long submissions = client.stats().get("submissions").asLong();
        // when
        HttpResponse<String> r = client.submit(demo, SHORT_SEED);
        // then
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(r.body()).isEqualTo("{\"detail\":\"Too many requests. Try again later.\"}");
        assertThat(client.stats().get("submissions").asLong()).isEqualTo(submissions);
        assertThat(client.stats().get("faults_injected").get("http-429").asLong()).isPositive();
        client.putJson("/emulator/faults", "{\"retry-after\":1}");
    }

    @Test
    void injectsServerErrorsOnlyOnMatchingRoutesAndNeverOnStats() {
        // given
        client.putJson("/emulator/faults", "{\"http-5xx\":1,\"routes\":\"^GET /api/v1/jobs$\"}");
        // when
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            codes.add(client.get("/api/v1/jobs", demo).statusCode());
        }
        HttpResponse<String> filtered = client.get("/api/v1/jobs?status=SUCCESS", demo);
        String id = client.submitOk(demo, SHORT_SEED);
        HttpResponse<String> other = client.get("/api/v1/jobs/" + id, demo);
        HttpResponse<String> stats = client.get("/emulator/stats", null);
        // then
        assertThat(codes).isSubsetOf(500, 502, 503).hasSizeGreaterThan(1);
        assertThat(filtered.statusCode()).isIn(500, 502, 503); // the regex sees the path without the query
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(id).isNotBlank();
        assertThat(stats.statusCode()).isEqualTo(200);
        // when healthy again
        client.putJson("/emulator/faults", "{\"http-5xx\":0}");
        assertThat(client.get("/api/v1/jobs", demo).statusCode()).isEqualTo(200);
    }

    @Test
    void disconnectsAfterProcessingSoTheJobExistsButNoAnswerArrives() {
        // given
        long before = client.stats().get("submissions").asLong();
        client.putJson("/emulator/faults", "{\"disconnect\":1,\"routes\":\"POST /api/v1/poet/align/msa\"}");
        // when / then
        assertThatThrownBy(() -> client.submit(demo, "MKTAYIAKQRWWWW"))
                .isInstanceOf(UncheckedIOException.class);
        client.putJson("/emulator/faults", "{\"disconnect\":0}");
        assertThat(client.stats().get("submissions").asLong()).isEqualTo(before + 1);
        List<String> ids = ids(client.get("/api/v1/jobs?page_size=1", demo));
        assertThat(client.get("/api/v1/align/msa?msa_type=RAW&job_id=" + ids.get(0), demo).body())
                .isEqualTo("seed,MKTAYIAKQRWWWW\n");
    }

    @Test
    void endsJobsInFailureWithAMessageWhenInjected() {
        // given
        client.putJson("/emulator/faults", "{\"job-failure\":1}");
        String id = client.submitOk(demo, EmulatorClient.freshSeed());
        // when
        JsonNode job = client.awaitTerminal(demo, id);
        HttpResponse<String> msa = client.get("/api/v1/poet/align/msa?job_id=" + id, demo);
        // then
        assertThat(job.get("status").asString()).isEqualTo("FAILURE");
        assertThat(job.get("failure_message").asString()).contains("Injected failure");
        assertThat(msa.statusCode()).isEqualTo(409);
        assertThat(msa.headers().firstValue("job_status")).hasValue("FAILURE");
    }

    @Test
    void passesThroughRetryingAndCanceledWhenInjected() {
        // given
        client.putJson("/emulator/faults", "{\"retrying\":1}");
        String id = client.submitOk(demo, EmulatorClient.freshSeed());
        // when
        Set<String> seen = new HashSet<>();
        JsonNode job;
        do {
            job = client.job(demo, id);
            seen.add(job.get("status").asString());
            EmulatorClient.sleep(20);
        } while (!job.get("status").asString().equals("SUCCESS"));
        client.putJson("/emulator/faults", "{\"retrying\":0,\"canceled\":1}");
        String canceled = client.submitOk(demo, EmulatorClient.freshSeed());
        // then
        assertThat(seen).contains("RETRYING", "RUNNING", "SUCCESS");
        assertThat(client.awaitTerminal(demo, canceled).get("status").asString()).isEqualTo("CANCELED");
    }

    @Test
    void rejectsUnknownFaultNames() {
        assertThat(client.putJson("/emulator/faults", "{\"http-999\":1}").statusCode()).isEqualTo(422);
        assertThat(client.putJson("/emulator/faults", "{\"http-5xx\":2}").statusCode()).isEqualTo(422);
    }

    // ---- scheduling and stats

    @Test
    void neverRunsMoreThanTheCapPerUser() {
        // given
        String alice = client.login("alice", "wonder");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(client.submitOk(alice, EmulatorClient.freshSeed()));
        }
        boolean sawPending = ids.stream().anyMatch(id -> client.job(alice, id).get("status").asString()
                .equals("PENDING"));
        // when
        List<JsonNode> jobs = new ArrayList<>();
        ids.forEach(id -> jobs.add(client.awaitTerminal(alice, id)));
        // then: at every job's start, at most 3 of the user's jobs were between start and end
        int maxOverlap = 0;
        for (JsonNode j : jobs) {
            Instant t = EmulatorClient.instant(j.get("start_date").asString());
            int overlap = (int) jobs.stream().filter(o -> !EmulatorClient.instant(o.get("start_date").asString()).isAfter(t)
                    && EmulatorClient.instant(o.get("end_date").asString()).isAfter(t)).count();
            maxOverlap = Math.max(maxOverlap, overlap);
        }
        assertThat(maxOverlap).isEqualTo(3);
        assertThat(sawPending).isTrue();
        assertThat(client.stats().get("max_running_by_user").get("alice").asInt()).isEqualTo(3);
    }

    @Test
    void reportsStats() {
        // given
        long before = client.stats().get("submissions").asLong();
        client.submitOk(demo, "MKTAYIAKQRSTATS");
        client.submitOk(demo, "MKTAYIAKQRSTATS");
        client.get("/api/v1/jobs", demo);
        // when
        JsonNode stats = client.stats();
        // then
        assertThat(stats.get("submissions").asLong()).isEqualTo(before + 2);
        assertThat(stats.get("distinct_seeds").asLong()).isLessThan(stats.get("submissions").asLong());
        assertThat(stats.get("requests_total").asLong()).isPositive();
        assertThat(stats.get("requests_by_route").get("POST /api/v1/poet/align/msa").asLong()).isGreaterThan(1);
        assertThat(stats.get("requests_by_route").get("GET /api/v1/jobs").asLong()).isPositive();
        assertThat(stats.get("jobs_by_status").has("PENDING")).isTrue();
        assertThat(stats.get("jobs_by_status").has("SUCCESS")).isTrue();
    }
}
