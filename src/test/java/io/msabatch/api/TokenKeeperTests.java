package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenKeeperTests {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AtomicInteger logins = new AtomicInteger();
    private final List<String> refreshedWith = new ArrayList<>();

    private TokenKeeper keeper(Duration lifetime, boolean withRefresh) {
        return new TokenKeeper(clock,
                () -> new TokenKeeper.Grant("bearer", "login-" + logins.incrementAndGet(), lifetime,
                        withRefresh ? "r" + logins.get() : null),
                refresh -> {
                    refreshedWith.add(refresh);
                    return new TokenKeeper.Grant("bearer", "refreshed-" + refreshedWith.size(), lifetime,
                            "r-next-" + refreshedWith.size());
                });
    }

    @Test
    void renewsTokenThirtySecondsBeforeItExpires() {
        // given
        TokenKeeper keeper = keeper(Duration.ofMinutes(15), false);
        assertThat(keeper.authorization()).isEqualTo("Bearer login-1");

        // when 14 min 29 s pass, the token is still used; at 14 min 30 s it is renewed
        now.set(now.get().plusSeconds(14 * 60 + 29));
        assertThat(keeper.authorization()).isEqualTo("Bearer login-1");
        now.set(now.get().plusSeconds(1));

        // then
        assertThat(keeper.authorization()).isEqualTo("Bearer login-2");
    }

    @Test
    void renewsAtHalfLifeWhenTheTokenIsShorterThanTheMargin() {
        TokenKeeper keeper = keeper(Duration.ofSeconds(2), false);
        assertThat(keeper.authorization()).isEqualTo("Bearer login-1");
        now.set(now.get().plusMillis(999));
        assertThat(keeper.authorization()).isEqualTo("Bearer login-1");
        now.set(now.get().plusMillis(1));
        assertThat(keeper.authorization()).isEqualTo("Bearer login-2");
    }

    @Test
    void usesRefreshTokenWhenTheServerHandsOneOut() {
        // given
        TokenKeeper keeper = keeper(Duration.ofMinutes(15), true);
        keeper.authorization();

        // when
        now.set(now.get().plus(Duration.ofMinutes(15)));
        String renewed = keeper.authorization();

        // then
        assertThat(renewed).isEqualTo("Bearer refreshed-1");
        assertThat(refreshedWith).containsExactly("r1");
        assertThat(logins).hasValue(1);
    }

    @Test
    void renewsOnceAfterRefusalEvenWhenManyThreadsSawTheSameToken() throws Exception {
        // given
        TokenKeeper keeper = keeper(Duration.ofMinutes(15), false);
        String refused = keeper.authorization();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();

        // when
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return keeper.renewAfterRefusal(refused);
            }));
        }
        start.countDown();
        List<String> tokens = new ArrayList<>();
        for (Future<String> f : results) {
            tokens.add(f.get());
        }
        pool.shutdown();

        // then
        assertThat(tokens).containsOnly("Bearer login-2");
        assertThat(logins).hasValue(2);
    }
}
