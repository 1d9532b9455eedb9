package io.msabatch.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Login (form or query parameters, three paths) and refresh-token rotation. */
@RestController
class AuthController {

    private final TokenService tokens;

    AuthController(TokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping({"/api/v1/login/user-access-token", "/api/v1/login/access-token"})
    Map<String, Object> login(@RequestParam(required = false) String username,
            @RequestParam(required = false) String password) {
        return body(tokens.login(required("username", username), required("password", password), false));
    }

    @PostMapping("/api/v1/auth/login")
    Map<String, Object> authLogin(@RequestParam(required = false) String username,
            @RequestParam(required = false) String password) {
        return body(tokens.login(required("username", username), required("password", password), true));
    }

    @PostMapping("/api/v1/auth/refresh")
    Map<String, Object> refresh(@RequestBody(required = false) Map<String, Object> request) {
        Object token = request == null ? null : request.get("refresh_token");
        if (!(token instanceof String s) || s.isBlank()) {
            throw ApiException.invalid("body", "refresh_token", "Field required", "missing");
        }
        return body(tokens.refresh(s));
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw ApiException.invalid("body", name, "Field required", "missing");
        }
        return value;
    }

    private static Map<String, Object> body(TokenService.Tokens t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("token_type", "bearer");
        m.put("expires_in", t.expiresIn());
        if (t.refreshToken() != null) {
            m.put("refresh_token", t.refreshToken());
        }
        return m;
    }
}
