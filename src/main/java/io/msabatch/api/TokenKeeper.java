package io.msabatch.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Holds the current access token and renews it: before it expires (30 s early, or half its life when that is
 * shorter), and when the server refuses it. Many threads asking at once cause one renewal; the others wait for it
 * and use its result. The token itself never leaves the client and is never logged.
 */
final class TokenKeeper {

    static final Duration EARLY = Duration.ofSeconds(30);
    static final Duration ASSUMED_LIFETIME = Duration.ofMinutes(15);

    /** What a login or refresh answered. {@code expiresIn} may be null (then {@link #ASSUMED_LIFETIME}). */
    record Grant(String tokenType, String accessToken, Duration expiresIn, String refreshToken) {
        @Override
        public String toString() {
            return "Grant[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
        }
    }

    private record Token(String authorization, Instant renewAt, String refreshToken) {
        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + "]";
        }
    }

    private final Clock clock;
    private final Supplier<Grant> login;
    private final Function<String, Grant> refresh;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token token;

    /**
     * @param login   logs in with the credentials; throws on refusal
     * @param refresh trades a refresh token for a new grant; throws {@link PermanentApiException} when refused
     */
    TokenKeeper(Clock clock, Supplier<Grant> login, Function<String, Grant> refresh) {
        this.clock = clock;
        this.login = login;
        this.refresh = refresh;
    }

    /** The value of the {@code Authorization} header to send now, renewing first if it is (nearly) expired. */
    String authorization() {
        Token t = token;
        if (t != null && clock.instant().isBefore(t.renewAt())) {
            return t.authorization();
        }
        lock.lock();
        try {
            t = token;
            if (t == null || !clock.instant().isBefore(t.renewAt())) {
                token = renew(t);
            }
            return token.authorization();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server refused {@code refused}: renew, unless another thread already did (then its token is used).
     * Returns the authorization to repeat the request with.
     */
    String renewAfterRefusal(String refused) {
        lock.lock();
        try {
            Token t = token;
            if (t == null || t.authorization().equals(refused)) {
                token = renew(t);
            }
            return token.authorization();
        } finally {
            lock.unlock();
        }
    }

    private Token renew(Token old) {
        Grant g = null;
        if (old != null && old.refreshToken() != null) {
            try {
                g = refresh.apply(old.refreshToken());
            } catch (PermanentApiException refused) {
                // A rotated or expired refresh token: fall back to a full login.
                g = null;
            }
        }
        if (g == null) {
            g = login.get();
        }
        return toToken(g);
    }

    private Token toToken(Grant g) {
        Duration life = g.expiresIn() != null && !g.expiresIn().isNegative() && !g.expiresIn().isZero() ? g.expiresIn() : ASSUMED_LIFETIME;
        Duration early = EARLY.compareTo(life.dividedBy(2)) < 0 ? EARLY : life.dividedBy(2);
        String scheme = g.tokenType() == null || g.tokenType().isBlank() ? "Bearer" : capitalise(g.tokenType());
        return new Token(scheme + " " + g.accessToken(), clock.instant().plus(life).minus(early), g.refreshToken());
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
