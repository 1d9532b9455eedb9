package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.testing.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Auth as today's service does it: body or cookie delivery, form-only fields, rotation, legacy answers. */
class EmulatorAuthIntegrationTests {

    @TempDir
    static Path dataDir;
    static Emulator.Running emulator;
    static EmulatorClient client;
    static final MutableClock CLOCK = new MutableClock();

    @BeforeAll
    static void start() {
        emulator = TestEmulators.start(dataDir, CLOCK, "emulator.token-ttl", "15m");
        client = new EmulatorClient(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static HttpResponse<String> login(String delivery, String body) {
        HttpRequest.Builder b = client.request("/api/v1/auth/login")
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (delivery != null) {
            b.header("X-Token-Delivery", delivery);
        }
        return client.send(b.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> refresh(String delivery, String refreshToken) {
        HttpRequest.Builder b = client.request("/api/v1/auth/refresh").header("Content-Type", "application/json");
        if (delivery != null) {
            b.header("X-Token-Delivery", delivery);
        }
        return client.send(b.POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken
                + "\"}")));
    }

    private static String cookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers().map()));
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    @Test
    void putsTokensInTheBodyOnlyWhenAskedWithXTokenDelivery() {
        // when
        HttpResponse<String> asked = login("body", "username=demo&password=demo");
        HttpResponse<String> notAsked = login(null, "username=demo&password=demo");
        // then
        JsonNode body = EmulatorClient.json(asked);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "refresh_token", "expires_in",
                "token_type");
        assertThat(body.get("token_type").asString()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(900);
        assertThat(asked.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(notAsked.statusCode()).isEqualTo(200);
        assertThat(notAsked.body()).isEqualTo("{\"token_type\":\"bearer\",\"expires_in\":900}");
        String access = cookie(notAsked, "access_token");
        assertThat(access).contains("HttpOnly");
        assertThat(cookie(notAsked, "refresh_token")).contains("HttpOnly");
        // the cookie's token is a real one, but this API reads tokens from the Authorization header only
        assertThat(client.get("/api/v1/jobs", cookieValue(access)).statusCode()).isEqualTo(200);
        assertThat(client.send(client.request("/api/v1/jobs").header("Cookie", "access_token=" + cookieValue(access))
                .GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void rotatesRefreshTokensAndDeliversThemLikeLogin() {
        // given
        String first = EmulatorClient.json(login("body", "username=demo&password=demo")).get("refresh_token")
                .asString();
        // when
        HttpResponse<String> renewed = refresh("body", first);
        HttpResponse<String> reused = refresh("body", first);
        String second = EmulatorClient.json(renewed).get("refresh_token").asString();
        HttpResponse<String> toCookies = refresh(null, second);
        HttpResponse<String> unknown = refresh("body", "no-such-token");
        // then
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(second).isNotEqualTo(first);
        assertThat(client.get("/api/v1/jobs", EmulatorClient.json(renewed).get("access_token").asString())
                .statusCode()).isEqualTo(200);
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(toCookies.statusCode()).isEqualTo(200);
        assertThat(EmulatorClient.json(toCookies).has("access_token")).isFalse();
        assertThat(cookieValue(cookie(toCookies, "refresh_token"))).isNotEqualTo(second);
        assertThat(refresh("body", second).statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void readsTodaysAndTheLegacyLoginFieldsFromTheFormOnly() {
        // when
        HttpResponse<String> todayByQuery = client.send(client.request("/api/v1/auth/login?username=demo&password=demo")
                .header("X-Token-Delivery", "body").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> legacyByQuery = client.send(client.request(
                "/api/v1/login/access-token?username=demo&password=demo").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> jobsPageByQuery = client.send(client.request(
                "/api/v1/login/user-access-token?username=demo&password=demo").POST(HttpRequest.BodyPublishers.noBody()));
        // then
        for (HttpResponse<String> r : List.of(todayByQuery, legacyByQuery)) {
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(EmulatorClient.json(r).get("detail").get(0).get("loc").get(0).asString()).isEqualTo("body");
        }
        assertThat(jobsPageByQuery.statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheLegacyLoginsWithAnAccessTokenOnly() {
        for (String path : List.of("/api/v1/login/access-token", "/api/v1/login/user-access-token")) {
            // when
            HttpResponse<String> r = client.postForm(path, Map.of("username", "alice", "password", "wonder"));
            // then
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(EmulatorClient.json(r).propertyNames()).as(path)
                    .containsExactly("access_token", "token_type", "expires_in");
        }
    }

    @Test
    void expiresAccessTokensByTheClockButKeepsRefreshTokens() {
        // given
        JsonNode pair = EmulatorClient.json(login("body", "username=alice&password=wonder"));
        String access = pair.get("access_token").asString();
        // when
        CLOCK.advance(Duration.ofMinutes(15));
        HttpResponse<String> expired = client.get("/api/v1/jobs", access);
        HttpResponse<String> renewed = refresh("body", pair.get("refresh_token").asString());
        // then
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("{\"detail\":\"Not authenticated\"}");
        assertThat(client.get("/api/v1/jobs", EmulatorClient.json(renewed).get("access_token").asString())
                .statusCode()).isEqualTo(200);
    }
}
