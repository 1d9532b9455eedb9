package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.retry.context.RetryContextSupport;

class RetryBackOffTests {

    private final List<Long> sleeps = new ArrayList<>();
    private final RetryBackOff backOff = new RetryBackOff(Duration.ofMillis(500), Duration.ofSeconds(30),
            sleeps::add, () -> 0.5);

    @Test
    void doublesTheCeilingWithEachRetryWithinHalfAndFull() {
        // given a ceiling of 500 ms * 2^(n-1)
        // then the delay lies in [ceiling/2, ceiling]
        assertThat(backOff.delay(1, null, 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(backOff.delay(1, null, 0.999)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(backOff.delay(2, null, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backOff.delay(4, null, 0.0)).isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void capsTheBackoffAtTheMaximum() {
        assertThat(backOff.delay(10, null, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(backOff.delay(1000, null, 0.0)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void honoursRetryAfterInsteadOfTheExponentialDelay() {
        assertThat(backOff.delay(1, Duration.ofSeconds(3), 0.0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backOff.delay(1, Duration.ofSeconds(3), 0.999)).isLessThan(Duration.ofMillis(3300));
    }

    @Test
    void capsAnExcessiveRetryAfter() {
        assertThat(backOff.delay(1, Duration.ofHours(2), 0.0)).isEqualTo(RetryBackOff.RETRY_AFTER_CAP);
    }

    @Test
    void aStopRequestEndsAWaitBeforeARetryAndTheInjectedSleeperIsNotUsed() throws Exception {
        // given a wait of 15-30 s through a stop that is requested from another thread
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        RetryStop stop = new RetryStop() {
            @Override
            public boolean isRequested() {
                return requested.getCount() == 0;
            }

            @Override
            public boolean sleep(Duration d) {
                try {
                    return requested.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
        };
        RetryBackOff stoppable = new RetryBackOff(Duration.ofSeconds(30), Duration.ofSeconds(30), sleeps::add, () -> 0.5,
                () -> stop);
        Thread waiting = new Thread(() -> stoppable.backOff(stoppable.start(new RetryContextSupport(null))));
        waiting.start();

        // when
        requested.countDown();

        // then: the wait ends (long before its 15 s) and nothing slept through the test's sleeper
        waiting.join(10_000);
        assertThat(waiting.isAlive()).isFalse();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anInterruptedWaitThroughAStopEndsTheCallAsBefore() {
        RetryStop never = new RetryStop() {
            @Override
            public boolean isRequested() {
                return false;
            }

            @Override
            public boolean sleep(Duration d) {
                Thread.currentThread().interrupt(); // as StopSignal.sleep does when interrupted
                return true;
            }
        };
        RetryBackOff stoppable = new RetryBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1), sleeps::add, () -> 0.5,
                () -> never);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> stoppable.backOff(stoppable.start(new RetryContextSupport(null))))
                    .isInstanceOf(org.springframework.retry.backoff.BackOffInterruptedException.class);
        } finally {
            Thread.interrupted(); // clear the flag for the next test
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(OpenProteinClient.retryAfter("2", now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(OpenProteinClient.retryAfter("Tue, 01 Dec 2026 10:00:07 GMT", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(OpenProteinClient.retryAfter("soon", now)).isNull();
        assertThat(OpenProteinClient.retryAfter(null, now)).isNull();
    }
}
