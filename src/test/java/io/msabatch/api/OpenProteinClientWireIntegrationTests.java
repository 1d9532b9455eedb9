package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers the emulator never gives (an unknown status value, a 500 to a POST, an answer slower than the read
 * timeout, a token refused twice), served over real HTTP by a tiny JDK server on loopback that the test controls.
 * The emulator only sends statuses of the contract, so this is the honest way to put the others on the wire.
 */
class OpenProteinClientWireIntegrationTests {

    private static final String JOB_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> userAgents = new CopyOnWriteArrayList<>();
    private final List<String> loginBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/login/user-access-token", ex -> {
            count(ex);
            loginBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(ex, 200, "application/json5",
                    "{\"access_token\":\"t-" + hits.get(key(ex)).get() + "\",\"token_type\":\"bearer\",\"expires_in\":900}");
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void readsUnknownStatusAsNonTerminalFromJson5Answer() {
        // given a job whose status this client has never heard of, labelled application/json5
        server.createContext("/api/v1/jobs/" + JOB_ID, ex -> {
            count(ex);
            respond(ex, 200, "application/json5", "{\"job_id\":\"" + JOB_ID + "\",\"job_type\":\"/align/align\","
                    + "\"status\":\"PAUSED\",\"created_date\":\"2024-05-01T12:30:00\",\"novel\":true}");
        });

        // when
        Job job = client(OpenProteinProperties.defaults(url())).getJob(JOB_ID);

        // then
        assertThat(job.status()).isEqualTo(JobStatus.UNKNOWN);
        assertThat(job.status().isTerminal()).isFalse();
        assertThat(job.rawStatus()).isEqualTo("PAUSED");
        assertThat(job.jobId()).isEqualTo(JOB_ID);
    }

    @Test
    void sendsUserAgentAndLogsInWithFormFields() {
        // given
        server.createContext("/api/v1/jobs/" + JOB_ID, ex -> {
            count(ex);
            respond(ex, 200, "application/json", "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"PENDING\"}");
        });
        OpenProteinClient client = client(OpenProteinProperties.defaults(url()));

        // when
        client.getJob(JOB_ID);

        // then
        assertThat(userAgents).isNotEmpty().allSatisfy(ua -> assertThat(ua).startsWith("msa-batch/"));
        assertThat(loginBodies).containsExactly("username=alice&password=pa%26ss");
        assertThat(client.requestCount()).isEqualTo(2);
    }

    @Test
    void logsInAgainOnceOn401AndNeverLoops() {
        // given a server that refuses every token
        server.createContext("/api/v1/jobs/" + JOB_ID, ex -> {
            count(ex);
            respond(ex, 401, "application/json", "{\"detail\":\"Not authenticated\"}");
        });

        // when / then
        assertThatThrownBy(() -> client(OpenProteinProperties.defaults(url())).getJob(JOB_ID))
                .isInstanceOf(PermanentApiException.class)
                .hasMessageContaining("401").hasMessageContaining("Not authenticated").hasMessageNotContaining("pa&ss")
                .satisfies(e -> assertThat(((OpenProteinException) e).route()).isEqualTo("GET /api/v1/jobs/{job_id}"));
        assertThat(hits.get("GET /api/v1/jobs/" + JOB_ID)).hasValue(2);
        assertThat(hits.get("POST /api/v1/login/user-access-token")).hasValue(2);
    }

    @Test
    void raisesUncertainSubmissionOnServerErrorToPost() {
        // given a gateway error after the POST was sent
        server.createContext("/api/v1/poet/align/msa", ex -> {
            count(ex);
            ex.getRequestBody().readAllBytes();
            respond(ex, 502, "text/html", "<html>Bad gateway</html>");
        });

        // when / then
        assertThatThrownBy(() -> client(OpenProteinProperties.defaults(url())).submitMsa("MKTAYIAKQR"))
                .isInstanceOfSatisfying(UncertainSubmissionException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.attemptedAt()).isNotNull();
                    assertThat(e.route()).isEqualTo("POST /api/v1/poet/align/msa");
                });
        assertThat(hits.get("POST /api/v1/poet/align/msa")).hasValue(1);
    }

    @Test
    void raisesUncertainSubmissionOnReadTimeoutWithoutResending() {
        // given a server slower than the read timeout
        server.createContext("/api/v1/poet/align/msa", ex -> {
            count(ex);
            ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "application/json", "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"PENDING\"}");
        });
        OpenProteinProperties props = OpenProteinProperties.defaults(url())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));

        // when / then
        assertThatThrownBy(() -> client(props).submitMsa("MKTAYIAKQR"))
                .isInstanceOf(UncertainSubmissionException.class);
        assertThat(hits.get("POST /api/v1/poet/align/msa")).hasValue(1);
    }

    @Test
    void readsTheOlderEmptyAnswerAsNotReady(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // given the service's older behaviour: 200, empty body, job_status header
        server.createContext("/api/v1/poet/align/msa", ex -> {
            count(ex);
            ex.getResponseHeaders().add("job_status", "RUNNING");
            respond(ex, 200, "text/csv", "");
        });

        // when / then
        assertThatThrownBy(() -> client(OpenProteinProperties.defaults(url())).downloadMsa(JOB_ID,
                dir.resolve("x.csv")))
                .isInstanceOfSatisfying(JobNotReadyException.class,
                        e -> assertThat(e.jobStatus()).isEqualTo(JobStatus.RUNNING));
        assertThat(dir.resolve("x.csv")).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    private OpenProteinClient client(OpenProteinProperties props) {
        return new OpenProteinClient(props, url(), new Credentials("alice", "pa&ss"), Clock.systemUTC(), ms -> { });
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String key(HttpExchange ex) {
        return ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
    }

    private void count(HttpExchange ex) {
        hits.computeIfAbsent(key(ex), k -> new AtomicInteger()).incrementAndGet();
        userAgents.add(ex.getRequestHeaders().getFirst("User-Agent"));
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
