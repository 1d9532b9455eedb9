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

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

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
        return send(multipart("/api/v1/poet/align/msa", token, "msa_file",
                fileContent.getBytes(StandardCharsets.UTF_8)));
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

    /** Polls until the job is terminal (at most 60 s) and returns it. */
    JsonNode awaitTerminal(String token, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = job(token, jobId);
            String s = job.get("status").asString();
            if (List.of("SUCCESS", "FAILURE", "CANCELED").contains(s)) {
                return job;
            }
            sleep(50);
        }
        throw new IllegalStateException("job " + jobId + " did not finish");
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
