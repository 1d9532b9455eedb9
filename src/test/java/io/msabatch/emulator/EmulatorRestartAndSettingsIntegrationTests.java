package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msabatch.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Behaviour that needs its own server: restart on the same data dir, token expiry, faults set at start. */
class EmulatorRestartAndSettingsIntegrationTests {

    @TempDir
    Path dataDir;

    private Emulator.RunningEmulator start(String... keyValues) {
        return start(Clock.systemUTC(), keyValues);
    }

    private Emulator.RunningEmulator start(Clock clock, String... keyValues) {
        Map<String, String> settings = new HashMap<>(Map.of("server.port", "0",
                "emulator.data-dir", dataDir.toString(), "emulator.msa-mode", "seed-only",
                "emulator.visibility-delay", "0"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return Emulator.start(settings, clock);
    }

    @Test
    void keepsJobsAcrossARestartAndFinishesThoseLeftPending() {
        // given: one finished job, and one queued behind a long-running one when the server stops
        String done;
        String queued;
        try (Emulator.RunningEmulator first = start("emulator.job-duration", "100ms",
                "emulator.max-running-jobs-per-user", "1")) {
            EmulatorClient c = new EmulatorClient(first.baseUrl());
            String token = c.login("demo", "demo");
            done = c.submitOk(token, "MKTAYIAKQR");
            c.awaitTerminal(token, done);
            c.putJson("/emulator/faults", "{}");
            String slow = c.submitOk(token, "WWWWWWWWWW");
            queued = c.submitOk(token, "MKTAYIAKQRQQQ");
            assertThat(c.job(token, queued).get("status").asString()).isEqualTo("PENDING");
            assertThat(slow).isNotBlank();
        }
        // when
        try (Emulator.RunningEmulator second = start("emulator.job-duration", "50ms")) {
            EmulatorClient c = new EmulatorClient(second.baseUrl());
            String token = c.login("demo", "demo");
            // then
            JsonNode old = c.job(token, done);
            assertThat(old.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(EmulatorClient.rows(c.get("/api/v1/poet/align/msa?job_id=" + done, token)))
                    .containsExactly(new MsaRow("101", "MKTAYIAKQR"));
            JsonNode resumed = c.awaitTerminal(token, queued);
            assertThat(resumed.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(EmulatorClient.rows(c.get("/api/v1/poet/align/msa?job_id=" + queued, token)))
                    .containsExactly(new MsaRow("101", "MKTAYIAKQRQQQ"));
            assertThat(c.stats().get("submissions").asLong()).isEqualTo(3);
            assertThat(c.stats().get("jobs_by_status").get("SUCCESS").asLong()).isEqualTo(3);
        }
    }

    @Test
    void expiresAccessTokensAfterTheTokenTtl() {
        MutableClock clock = new MutableClock();
        try (Emulator.RunningEmulator e = start(clock, "emulator.token-ttl", "10m")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            HttpResponse<String> login = c.postForm("/api/v1/login/user-access-token",
                    Map.of("username", "demo", "password", "demo"));
            String token = EmulatorClient.json(login).get("access_token").asString();
            assertThat(EmulatorClient.json(login).get("expires_in").asLong()).isEqualTo(600);
            clock.advance(Duration.ofSeconds(599));
            assertThat(c.get("/api/v1/jobs", token).statusCode()).isEqualTo(200);
            // when
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> r = c.get("/api/v1/jobs", token);
            // then
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"detail\":\"Not authenticated\"}");
        }
    }

    @Test
    void appliesFaultSettingsGivenAtStartToApiRoutesOnly() {
        try (Emulator.RunningEmulator e = start("emulator.faults.http-5xx", "1", "emulator.users", "ops:pw")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            // when
            HttpResponse<String> login = c.postForm("/api/v1/login/user-access-token",
                    Map.of("username", "ops", "password", "pw"));
            HttpResponse<String> stats = c.get("/emulator/stats", null);
            // then
            assertThat(login.statusCode()).isIn(500, 502, 503);
            if (login.statusCode() == 500) {
                assertThat(login.body()).isEqualTo("{\"detail\":\"Internal Server Error\"}");
            } else {
                assertThat(login.headers().firstValue("Server")).hasValue("CloudFront");
                assertThat(login.body()).contains("<H1>" + login.statusCode() + " ERROR</H1>");
            }
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(EmulatorClient.json(stats).get("faults_injected").get("http-5xx").asLong()).isEqualTo(1);
            assertThat(EmulatorClient.json(stats).get("requests_total").asLong()).isEqualTo(1);
            assertThat(c.get("/emulator/faults", null).body()).contains("\"http-5xx\":1.0");
        }
    }

    @Test
    void runsSeedOnlyJobsForManyUsersAndSettingsTakeEffect() {
        try (Emulator.RunningEmulator e = start("emulator.users", "a:1,b:2", "emulator.job-duration", "10ms-40ms",
                "emulator.faults.job-failure", "1")) {
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String a = c.login("a", "1");
            String b = c.login("b", "2");
            // when
            String ja = c.submitOk(a, "MKTAYIAKQR");
            String jb = c.submitOk(b, "MKTAYIAKQR");
            // then
            assertThat(c.awaitTerminal(a, ja).get("status").asString()).isEqualTo("FAILURE");
            assertThat(c.awaitTerminal(b, jb).get("failure_message").asString()).isNotBlank();
            assertThat(c.stats().get("distinct_seeds").asLong()).isEqualTo(1);
            assertThat(c.postForm("/api/v1/login/user-access-token", Map.of("username", "demo", "password",
                    "demo")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void refusesToStartWithABadSetting() {
        for (List<String> bad : List.of(List.of("emulator.msa-mode", "fast"), List.of("emulator.faults.http-429", "2"),
                List.of("emulator.job-duration", "5s-1s"), List.of("emulator.users", "nopassword"),
                List.of("emulator.routes", "2023"), List.of("emulator.fasta-share", "1.5"),
                List.of("emulator.visibility-delay", "soon"), List.of("emulator.result-delay", "-1s"),
                List.of("emulator.max-page-size", "0"), List.of("emulator.straggler-share", "-0.1"),
                List.of("emulator.straggler-first", "-1"), List.of("emulator.straggler-duration", "1 hour"),
                List.of("emulator.faults.http-5xx-after-create", "x"), List.of("emulator.faults.http-504", "2"))) {
            assertThatThrownBy(() -> start(bad.get(0), bad.get(1)).close()).as(bad.toString())
                    .hasStackTraceContaining(bad.get(0));
        }
    }

    @Test
    void migratesADataDirOfTheFirstSchema() throws Exception {
        // given: a data dir written by the first emulator version (schema V1): a finished and a pending job
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("emulator");
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/emulator").target("1").load().migrate();
        String done = "0b6c2f4e-1111-4a2b-9c3d-000000000001";
        String pending = "0b6c2f4e-1111-4a2b-9c3d-000000000002";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO emulator_job (job_id, username, job_type, status, created_us, start_us, end_us,"
                    + " progress_counter, num_records, sequence_length, seed, seed_sha256, raw_seed, args) VALUES"
                    + " ('" + done + "', 'demo', '/align/align', 'SUCCESS', 1764619262123456, 1764619262200000,"
                    + " 1764619263200000, 100, 1, 10, 'MKTAYIAKQR', '" + sha256Hex("MKTAYIAKQR") + "', 'MKTAYIAKQR',"
                    + " '{\"is_seed\":true,\"msa_file\":\"old.fasta\",\"job_type\":\"/align/align\"}'),"
                    + " ('" + pending + "', 'demo', '/align/align', 'RUNNING', 1764619264000000, 1764619264100000,"
                    + " NULL, 10, NULL, 4, 'WWWW', '" + sha256Hex("WWWW") + "', 'WWWW',"
                    + " '{\"is_seed\":true,\"msa_file\":null,\"job_type\":\"/align/align\"}')");
            s.execute("INSERT INTO emulator_result (job_id, msa) VALUES ('" + done + "', '101,MKTAYIAKQR\n')");
        }
        // when
        try (Emulator.RunningEmulator e = start("emulator.job-duration", "10ms")) {
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String token = c.login("demo", "demo");
            JsonNode old = c.job(token, done);
            JsonNode resumed = c.awaitTerminal(token, pending);
            JsonNode again = EmulatorClient.json(c.submit(token, "MKTAYIAKQR"));
            // then
            assertThat(old.get("created_date").asString()).isEqualTo("2025-12-01T20:01:02.123456");
            assertThat(old.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(EmulatorClient.json(c.get("/api/v1/jobs/" + done + "/args", token)).get("msa_file").asString())
                    .isEqualTo("old.fasta");
            assertThat(c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + done, token).body())
                    .isEqualTo("seed,MKTAYIAKQR\n");
            assertThat(EmulatorClient.rows(c.get("/api/v1/align/inputs?job_id=" + done, token)))
                    .containsExactly(new MsaRow("101", "MKTAYIAKQR"));
            assertThat(resumed.get("status").asString()).isEqualTo("SUCCESS");
            // the migrated seed key is the one new submissions look up: the old seed is a cache hit
            assertThat(again.get("status").asString()).isEqualTo("SUCCESS");
            assertThat(c.stats().get("distinct_seeds").asLong()).isEqualTo(2);
        }
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
