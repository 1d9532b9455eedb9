package io.msabatch.emulator;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Login and refresh-token rotation as today's service does them: {@code /auth/login} (form fields only) and
 * {@code /auth/refresh} put the tokens in the JSON body only when asked with {@code X-Token-Delivery: body}, else in
 * HttpOnly cookies. The legacy {@code /login/access-token} (form) and {@code /login/user-access-token} (form or query)
 * answer an access token alone.
 */
@RestController
class AuthController {

    static final String DELIVERY_HEADER = "X-Token-Delivery";

    private final TokenService tokens;

    AuthController(TokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/api/v1/login/access-token")
    Map<String, Object> accessToken(HttpServletRequest request) {
        return legacy(tokens.login(required("username", formValue(request, "username")),
                required("password", formValue(request, "password")), false));
    }

    /** The 2023 jobs page sent a form, the 2024 OpenAPI dump declares query parameters: both are accepted. */
    @PostMapping("/api/v1/login/user-access-token")
    Map<String, Object> userAccessToken(HttpServletRequest request) {
        return legacy(tokens.login(required("username", request.getParameter("username")),
                required("password", request.getParameter("password")), false));
    }

    @PostMapping("/api/v1/auth/login")
    ResponseEntity<Map<String, Object>> authLogin(HttpServletRequest request,
            @RequestHeader(name = DELIVERY_HEADER, required = false) String delivery) {
        return deliver(tokens.login(required("username", formValue(request, "username")),
                required("password", formValue(request, "password")), true), delivery);
    }

    @PostMapping("/api/v1/auth/refresh")
    ResponseEntity<Map<String, Object>> refresh(@RequestBody(required = false) Map<String, Object> request,
            @RequestHeader(name = DELIVERY_HEADER, required = false) String delivery) {
        Object token = request == null ? null : request.get("refresh_token");
        if (!(token instanceof String s) || s.isBlank()) {
            throw ApiException.invalid("body", "refresh_token", "Field required", "missing");
        }
        return deliver(tokens.refresh(s), delivery);
    }

    /**
     * A field of the request body, ignoring the query string (FastAPI's {@code Form()}): Tomcat lists query values
     * first, so the body's values are those after as many as the query string holds.
     */
    static String formValue(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        int inQuery = 0;
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    inQuery++;
                }
            }
        }
        return values.length > inQuery ? values[inQuery] : null;
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw ApiException.invalid("body", name, "Field required", "missing");
        }
        return value;
    }

    private static Map<String, Object> legacy(TokenService.Tokens t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("token_type", "bearer");
        m.put("expires_in", t.expiresIn());
        return m;
    }

    private static ResponseEntity<Map<String, Object>> deliver(TokenService.Tokens t, String delivery) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (delivery != null && delivery.trim().equalsIgnoreCase("body")) {
            m.put("access_token", t.accessToken());
            m.put("refresh_token", t.refreshToken());
            m.put("expires_in", t.expiresIn());
            m.put("token_type", "bearer");
            return ResponseEntity.ok(m);
        }
        m.put("token_type", "bearer");
        m.put("expires_in", t.expiresIn());
        ResponseCookie access = ResponseCookie.from("access_token", t.accessToken()).httpOnly(true).path("/")
                .maxAge(t.expiresIn()).sameSite("Lax").build();
        ResponseCookie refresh = ResponseCookie.from("refresh_token", t.refreshToken()).httpOnly(true)
                .path("/api/v1/auth").sameSite("Lax").build();
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, access.toString())
                .header(HttpHeaders.SET_COOKIE, refresh.toString()).body(m);
    }
}
