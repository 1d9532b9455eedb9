package io.msabatch.report.html;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (the JDK's HttpClient and WebSocket): loads a page,
 * records console errors, exceptions and every network request, evaluates expressions and takes screenshots.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The Chromium on PATH, or null. */
    static String executable() {
        String path = System.getenv("PATH");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    HeadlessChromium(String executable, Path profile, int width, int height) throws Exception {
        // flags that keep a sandboxed, offline machine quiet: no background requests, no GPU, no sandbox as root
        process = new ProcessBuilder(executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height,
                "about:blank").redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IllegalStateException("Chromium did not open its DevTools port; see " + profile.resolveSibling("chromium.log"));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageSocket = null;
        for (JsonNode target : JSON.readTree(list)) {
            if ("page".equals(target.get("type").asString())) {
                pageSocket = target.get("webSocketDebuggerUrl").asString();
            }
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).get(10, TimeUnit.SECONDS);
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            call(domain + ".enable", Map.of());
        }
    }

    /** Navigates and waits for the load event. */
    void open(URI url) throws Exception {
        loaded = new CompletableFuture<>();
        call("Page.navigate", Map.of("url", url.toString()));
        loaded.get(30, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression (awaited if it is a promise). */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
        }
        return result.get("result").get("value");
    }

    /** Waits until {@code expression} is true. */
    void waitFor(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eval("Boolean(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + timeout + " waiting for " + expression + "; errors: " + errors);
            }
            Thread.sleep(100);
        }
    }

    /** A PNG of the whole page at {@code scale}. */
    byte[] screenshot(double scale) throws Exception {
        JsonNode size = eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get(0).asInt(), "height", size.get(1).asInt(), "scale", scale);
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "clip", clip, "captureBeyondViewport", true));
        return java.util.Base64.getDecoder().decode(shot.get("data").asString());
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    private void event(JsonNode message) {
        String method = message.get("method").asString();
        JsonNode p = message.get("params");
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.get("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(p.get("type").asString()) || "warning".equals(p.get("type").asString())) {
                    errors.add("console." + p.get("type").asString() + ": " + p.get("args"));
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(p.get("entry").get("level").asString())) {
                    errors.add("log: " + p.get("entry").get("text").asString());
                }
            }
            case "Network.requestWillBeSent" -> requests.add(p.get("request").get("url").asString());
            default -> {
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode message = JSON.readTree(text.toString());
                text.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
                    if (f != null) {
                        f.complete(message);
                    }
                } else if (message.has("method")) {
                    event(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.abort();
        }
        // Chromium's helpers (renderer, GPU, crash handler) can outlive the browser process and keep writing into the
        // profile while @TempDir deletes it ("Failed to delete temp directory ... profile/Default"): they are listed
        // before the browser goes (they are re-parented after) and each is waited for too
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(0, process.toHandle());
        process.destroy(); // the browser stops its helpers itself; any still running after 10 s is killed
        for (ProcessHandle p : family) {
            if (!exited(p)) {
                p.destroyForcibly();
                exited(p); // one that survives even this: the temp folder's cleanup reports it
            }
        }
    }

    private static boolean exited(ProcessHandle p) {
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
