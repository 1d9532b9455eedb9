package io.msabatch.emulator;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Users, access tokens and rotating refresh tokens, in memory (a restart invalidates tokens; clients log in again
 * on 401). Thread-safe. Tokens are never logged.
 */
@Component
class TokenService {

    record Session(String username, Instant expires) {
    }

    record Tokens(String accessToken, String refreshToken, long expiresIn) {
    }

    private final Map<String, String> users;
    private final long ttlSeconds;
    private final java.time.Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> access = new ConcurrentHashMap<>();
    private final Map<String, String> refresh = new ConcurrentHashMap<>();

    TokenService(EmulatorSettings settings, Clock clock) {
        this.clock = clock;
        this.users = settings.users();
        this.ttl = settings.tokenTtl();
        this.ttlSeconds = Math.max(1, settings.tokenTtl().toSeconds());
    }

    /** A new access token (and refresh token when asked), or 401 for bad credentials. */
    Tokens login(String username, String password, boolean withRefresh) {
        String expected = username == null ? null : users.get(username);
        if (expected == null || password == null || !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "Incorrect username or password");
        }
        return issue(username, withRefresh);
    }

    /** Rotation: the given refresh token stops working and a new pair is returned; a used or unknown one is a 401. */
    Tokens refresh(String refreshToken) {
        String username = refreshToken == null ? null : refresh.remove(refreshToken);
        if (username == null) {
            throw new ApiException(401, "Invalid refresh token");
        }
        return issue(username, true);
    }

    private Tokens issue(String username, boolean withRefresh) {
        purgeExpired();
        String token = newToken();
        access.put(token, new Session(username, clock.instant().plus(ttl)));
        String refreshToken = null;
        if (withRefresh) {
            refreshToken = newToken();
            refresh.put(refreshToken, username);
        }
        return new Tokens(token, refreshToken, ttlSeconds);
    }

    /** The user of an {@code Authorization: <scheme> <token>} header; 401 "Not authenticated" otherwise. */
    String authenticate(String authorization) {
        if (authorization == null) {
            throw ApiException.notAuthenticated();
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw ApiException.notAuthenticated();
        }
        Session s = access.get(parts[1]);
        if (s == null || !clock.instant().isBefore(s.expires())) {
            throw ApiException.notAuthenticated();
        }
        return s.username();
    }

    private void purgeExpired() {
        if (access.size() > 10_000) {
            Instant now = clock.instant();
            access.values().removeIf(s -> !now.isBefore(s.expires()));
        }
    }

    private String newToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
