package io.msabatch.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JDK HttpClient wrapper for the emulator tests: real HTTP over loopback. */
final class EmulatorClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final String baseUrl;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmulatorClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = request(path).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> putJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A seed no test has sent before: the cache answers a known seed with a job already SUCCESS, so a test that needs
     * a job to run (its faults, its timing) sends a fresh one.
     */
    static String freshSeed() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("MKTAYIAKQR");
        for (int i = 0; i < 30; i++) {
            sb.append("ACDEFGHIKLMNPQRSTVWY".charAt(r.nextInt(20)));
        }
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Today's login ({@code /auth/login}, tokens in the body); returns the access token. */
    String loginToday(String user, String password) {
        HttpResponse<String> r = send(request("/api/v1/auth/login")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Token-Delivery", "body")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(user) + "&password=" + enc(password))));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("access_token").asString();
    }

    /** The 2023 jobs page's login; returns the access token. */
    String login(String user, String password) {
        HttpResponse<String> r = postForm("/api/v1/login/user-access-token", Map.of("username", user,
                "password", password));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("access_token").asString();
    }

    /** Multipart upload; {@code partName} null sends a form with an unrelated part only. */
    HttpRequest.Builder multipart(String path, String token, String partName, byte[] content) {
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        String name = partName == null ? "other" : partName;
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"; filename=\"seed.fasta\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpRequest.Builder b = request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpResponse<String> submit(String token, String fileContent) {
        return submit("/api/v1/poet/align/msa", token, fileContent);
    }

    /** A multipart upload of {@code fileContent} as {@code msa_file} to {@code path} (which may hold a query). */
    HttpResponse<String> submit(String path, String token, String fileContent) {
        return send(multipart(path, token, "msa_file", fileContent.getBytes(StandardCharsets.UTF_8)));
    }

    /** Submits and returns the job id, failing on anything but 200. */
    String submitOk(String token, String fileContent) {
        HttpResponse<String> r = submit(token, fileContent);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("submit failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("job_id").asString();
    }

    JsonNode job(String token, String jobId) {
        return json(get("/api/v1/jobs/" + jobId, token));
    }

    /** Polls until the job is terminal (at most 60 s; a 404 is "not visible yet") and returns it. */
    JsonNode awaitTerminal(String token, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/api/v1/jobs/" + jobId, token);
            if (r.statusCode() == 200) {
                JsonNode job = json(r);
                if (List.of("SUCCESS", "FAILURE", "CANCELED").contains(job.get("status").asString())) {
                    return job;
                }
            } else if (r.statusCode() != 404) {
                throw new IllegalStateException("GET job " + jobId + ": " + r.statusCode() + " " + r.body());
            }
            sleep(20);
        }
        throw new IllegalStateException("job " + jobId + " did not finish");
    }

    /** The rows of an MSA answer, read as its Content-Type says (FASTA for text/x-fasta, else headerless CSV). */
    static List<MsaRow> rows(HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/x-fasta")) {
            return MsaFormat.parseCsv(r.body());
        }
        List<MsaRow> rows = new java.util.ArrayList<>();
        String[] lines = r.body().split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            rows.add(new MsaRow(lines[i].substring(1), lines[i + 1]));
        }
        return rows;
    }

    /** A naive ISO-8601 date of the align service (UTC, no offset). */
    static java.time.Instant instant(String naive) {
        return java.time.LocalDateTime.parse(naive).toInstant(java.time.ZoneOffset.UTC);
    }

    JsonNode stats() {
        return json(get("/emulator/stats", null));
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
