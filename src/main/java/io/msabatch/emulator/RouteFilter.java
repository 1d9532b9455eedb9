package io.msabatch.emulator;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves only the {@code /api/v1} routes of the configured era ({@code emulator.routes}), answering as FastAPI does
 * before any authentication: a path it does not serve is 404 {@code {"detail":"Not Found"}}, a served path asked
 * with another method is 405 {@code {"detail":"Method Not Allowed"}} with {@code Allow}.
 */
@Component
class RouteFilter extends OncePerRequestFilter {

    private enum Era { CURRENT, POET, ALIAS }

    private record Route(String method, Pattern path, Set<Era> eras) {
    }

    private static final String ID = "[^/]+";

    private static final List<Route> ROUTES = List.of(
            route("POST", "/api/v1/auth/login", Era.CURRENT),
            route("POST", "/api/v1/auth/refresh", Era.CURRENT),
            route("POST", "/api/v1/login/access-token", Era.POET),
            route("POST", "/api/v1/login/user-access-token", Era.POET),
            route("GET", "/api/v1/jobs", Era.CURRENT, Era.POET),
            route("GET", "/api/v1/jobs/" + ID, Era.CURRENT, Era.POET),
            route("GET", "/api/v1/jobs/" + ID + "/args", Era.CURRENT, Era.POET),
            route("POST", "/api/v1/align/msa", Era.CURRENT),
            route("GET", "/api/v1/align/inputs", Era.CURRENT),
            route("POST", "/api/v1/poet/align/msa", Era.POET),
            route("GET", "/api/v1/poet/align/msa", Era.POET),
            // aliases the emulator has always answered; served in 'all' only
            route("GET", "/api/v1/align/msa", Era.ALIAS),
            route("GET", "/api/v1/poet/align/inputs", Era.ALIAS));

    private static final byte[] NOT_FOUND = "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_ALLOWED = "{\"detail\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8);

    private final Set<Era> served;

    RouteFilter(EmulatorSettings settings) {
        served = switch (settings.routes()) {
            case ALL -> EnumSet.allOf(Era.class);
            case CURRENT -> EnumSet.of(Era.CURRENT);
            case POET -> EnumSet.of(Era.POET);
        };
    }

    private static Route route(String method, String path, Era... eras) {
        return new Route(method, Pattern.compile(path), EnumSet.of(eras[0], eras));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/v1");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        String method = request.getMethod();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : ROUTES) {
            if (r.path().matcher(path).matches() && r.eras().stream().anyMatch(served::contains)) {
                if (r.method().equals(method)) {
                    chain.doFilter(request, response);
                    return;
                }
                allowed.add(r.method());
            }
        }
        if (allowed.isEmpty()) {
            write(response, 404, NOT_FOUND);
        } else {
            response.setHeader("Allow", String.join(", ", allowed));
            write(response, 405, NOT_ALLOWED);
        }
    }

    private static void write(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
