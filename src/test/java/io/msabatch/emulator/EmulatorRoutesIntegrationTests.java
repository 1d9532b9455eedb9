package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code emulator.routes}: which era's routes a server answers, and FastAPI's 404/405 for the others. */
class EmulatorRoutesIntegrationTests {

    private static final String NOT_FOUND = "{\"detail\":\"Not Found\"}";

    @TempDir
    Path dataDir;

    @Test
    void servesOnlyTodaysRoutesInCurrentMode() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.routes", "current")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String token = c.loginToday("demo", "demo");
            // when
            HttpResponse<String> created = c.submit("/api/v1/align/msa?is_seed=True", token, ">seed\nMKTAYIAKQR\n");
            String id = EmulatorClient.json(created).get("job_id").asString();
            HttpResponse<String> resultsOnCreatePath = c.get("/api/v1/align/msa?job_id=" + id, token);
            // then
            assertThat(created.statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/jobs", token).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/jobs/" + id, token).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/jobs/" + id + "/args", token).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/align/inputs?msa_type=RAW&job_id=" + id, token).body())
                    .isEqualTo("seed,MKTAYIAKQR\n");
            assertThat(resultsOnCreatePath.statusCode()).isEqualTo(405);
            assertThat(resultsOnCreatePath.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
            assertThat(resultsOnCreatePath.headers().firstValue("Allow")).hasValue("POST");
            for (HttpResponse<String> r : List.of(
                    c.postForm("/api/v1/login/user-access-token", Map.of("username", "demo", "password", "demo")),
                    c.postForm("/api/v1/login/access-token", Map.of("username", "demo", "password", "demo")),
                    c.submit("/api/v1/poet/align/msa", token, "MKTAYIAKQR"),
                    c.get("/api/v1/poet/align/msa?job_id=" + id, token),
                    c.get("/api/v1/poet/align/inputs?job_id=" + id, token),
                    c.get("/api/v1/poet/align/msa?job_id=" + id, null))) {
                assertThat(r.statusCode()).as(r.request().uri().getPath()).isEqualTo(404);
                assertThat(r.body()).isEqualTo(NOT_FOUND);
            }
        }
    }

    @Test
    void servesOnlyTheJobsPagesRoutesInPoetMode() {
        try (Emulator.Running e = TestEmulators.start(dataDir, "emulator.routes", "poet")) {
            // given
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String token = c.login("demo", "demo");
            // when
            String id = c.submitOk(token, "MKTAYIAKQR");
            c.awaitTerminal(token, id);
            HttpResponse<String> msa = c.get("/api/v1/poet/align/msa?job_id=" + id, token);
            // then
            assertThat(msa.statusCode()).isEqualTo(200);
            assertThat(EmulatorClient.rows(msa)).containsExactly(new MsaRow("101", "MKTAYIAKQR"));
            assertThat(c.postForm("/api/v1/login/access-token", Map.of("username", "demo", "password", "demo"))
                    .statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/jobs/" + id + "/args", token).statusCode()).isEqualTo(200);
            for (HttpResponse<String> r : List.of(
                    c.postForm("/api/v1/auth/login", Map.of("username", "demo", "password", "demo")),
                    c.postJson("/api/v1/auth/refresh", "{\"refresh_token\":\"x\"}"),
                    c.submit("/api/v1/align/msa", token, "MKTAYIAKQR"),
                    c.get("/api/v1/align/inputs?job_id=" + id, token),
                    c.get("/api/v1/align/msa?job_id=" + id, token))) {
                assertThat(r.statusCode()).as(r.request().uri().getPath()).isEqualTo(404);
                assertThat(r.body()).isEqualTo(NOT_FOUND);
            }
        }
    }

    @Test
    void servesBothErasAndTheOldAliasesInAllMode() {
        try (Emulator.Running e = TestEmulators.start(dataDir)) {
            // given: the jobs page's walk-through
            EmulatorClient c = new EmulatorClient(e.baseUrl());
            String token = c.login("demo", "demo");
            String id = c.submitOk(token, "MKTAYIAKQR");
            c.awaitTerminal(token, id);
            // when
            HttpResponse<String> poet = c.get("/api/v1/poet/align/msa?job_id=" + id, token);
            HttpResponse<String> alias = c.get("/api/v1/align/msa?job_id=" + id, token);
            HttpResponse<String> poetInputs = c.get("/api/v1/poet/align/inputs?job_id=" + id, token);
            HttpResponse<String> today = c.get("/api/v1/align/inputs?job_id=" + id,
                    c.loginToday("demo", "demo"));
            HttpResponse<String> wrongMethod = c.send(c.request("/api/v1/jobs/" + id).DELETE()
                    .header("Authorization", "Bearer " + token));
            // then
            for (HttpResponse<String> r : List.of(poet, alias, poetInputs, today)) {
                assertThat(r.statusCode()).as(r.request().uri().getPath()).isEqualTo(200);
                assertThat(EmulatorClient.rows(r)).containsExactly(new MsaRow("101", "MKTAYIAKQR"));
            }
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
            assertThat(c.send(c.request("/api/v1/nothing/here").POST(HttpRequest.BodyPublishers.noBody())).body())
                    .isEqualTo(NOT_FOUND);
        }
    }
}
