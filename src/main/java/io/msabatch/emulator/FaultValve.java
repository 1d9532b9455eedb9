package io.msabatch.emulator;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Counts every {@code /api/v1} request and injects the transport-level faults: 500/502/503 and 429 answered before
 * any processing (502/503 as CloudFront's HTML page, 500 as the application's JSON), and disconnects (the request is
 * processed, then the connection is closed with no answer). A Tomcat valve because only Tomcat can drop a connection
 * without writing a status line.
 */
final class FaultValve extends ValveBase {

    private static final int[] SERVER_ERRORS = {500, 502, 503};

    private final Faults faults;
    private final Stats stats;

    FaultValve(Faults faults, Stats stats) {
        super(true);
        this.faults = faults;
        this.stats = stats;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String path = request.getRequestURI();
        if (path == null || !path.startsWith("/api/v1")) {
            getNext().invoke(request, response);
            return;
        }
        String method = request.getMethod();
        stats.request(Stats.route(method, path));
        Faults.Snapshot f = faults.current();
        if (f.appliesTo(method + " " + path)) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (Faults.roll(f.http429())) {
                stats.fault("http-429");
                response.setHeader("Retry-After", Integer.toString(f.retryAfterSeconds()));
                answer(response, 429, "Too many requests. Try again later.");
                return;
            }
            if (Faults.roll(f.http5xx())) {
                int status = SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
                stats.fault("http-5xx");
                if (status == 500) {
                    answer(response, 500, "Internal Server Error");
                } else {
                    cloudFront(response, CloudFrontPage.of(status));
                }
                return;
            }
            if (Faults.roll(f.disconnect())) {
                stats.fault("disconnect");
                // Suspended: whatever the application writes or flushes is discarded, so nothing reaches the client.
                response.setSuspended(true);
                try {
                    getNext().invoke(request, response);
                } finally {
                    response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
                }
                return;
            }
        }
        getNext().invoke(request, response);
    }

    static void cloudFront(Response response, CloudFrontPage page) throws IOException {
        response.setStatus(page.status());
        page.headers().forEach(response::setHeader);
        response.setContentType(CloudFrontPage.CONTENT_TYPE);
        response.setContentLength(page.body().length);
        response.getOutputStream().write(page.body());
    }

    private static void answer(Response response, int status, String detail) throws IOException {
        byte[] body = ("{\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
