package io.msabatch.api;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.springframework.retry.RetryContext;
import org.springframework.retry.backoff.BackOffContext;
import org.springframework.retry.backoff.BackOffInterruptedException;
import org.springframework.retry.backoff.BackOffPolicy;
import org.springframework.retry.backoff.Sleeper;

/**
 * Capped exponential backoff with jitter that honours the server's {@code Retry-After}. Before retry {@code n}
 * (1-based) it waits a random time in {@code [d/2, d]} with {@code d = min(maxBackoff, initial * 2^(n-1))}; when the
 * last failure carried a Retry-After it waits that long instead (capped at {@link #RETRY_AFTER_CAP}) plus up to
 * 10% jitter. Sleeping goes through the injected {@link Sleeper}, so tests do not wait, or, while a run can be stopped,
 * through its {@link RetryStop}, so that a stop request ends the wait. Thread-safe.
 */
final class RetryBackOff implements BackOffPolicy {

    /** A server asking for more than this is not waited for longer (a nightly run should not stall for hours). */
    static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(60);

    private final Duration initial;
    private final Duration max;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final Supplier<RetryStop> stop;

    RetryBackOff(Duration initial, Duration max, Sleeper sleeper, DoubleSupplier random) {
        this(initial, max, sleeper, random, () -> null);
    }

    /** As above; while {@code stop} gives a stop request, a wait goes through it and ends when it is requested. */
    RetryBackOff(Duration initial, Duration max, Sleeper sleeper, DoubleSupplier random, Supplier<RetryStop> stop) {
        this.initial = initial;
        this.max = max;
        this.sleeper = sleeper;
        this.random = random;
        this.stop = stop;
    }

    @Override
    public BackOffContext start(RetryContext context) {
        return new Context(context);
    }

    @Override
    public void backOff(BackOffContext backOffContext) throws BackOffInterruptedException {
        RetryContext retry = ((Context) backOffContext).retry;
        Duration retryAfter = retry.getLastThrowable() instanceof RetryableFailure f ? f.retryAfter() : null;
        Duration delay = delay(retry.getRetryCount(), retryAfter, random.getAsDouble());
        RetryStop s = stop.get();
        if (s != null) {
            // a stop request ends the wait at once; the retry policy then makes no further attempt
            s.sleep(delay);
            if (Thread.currentThread().isInterrupted()) {
                throw new BackOffInterruptedException("interrupted while waiting to retry an OpenProtein call");
            }
            return;
        }
        try {
            sleeper.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackOffInterruptedException("interrupted while waiting to retry an OpenProtein call", e);
        }
    }

    /** The wait before retry {@code retryNumber} (1 = the first retry), for a uniform {@code random} in [0,1). */
    Duration delay(int retryNumber, Duration retryAfter, double random) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            Duration base = retryAfter.compareTo(RETRY_AFTER_CAP) > 0 ? RETRY_AFTER_CAP : retryAfter;
            return base.plusMillis((long) (base.toMillis() * 0.1 * random));
        }
        int exponent = Math.max(0, Math.min(retryNumber - 1, 30));
        long ceiling = Math.min(max.toMillis(), saturatedShift(initial.toMillis(), exponent));
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + (long) ((ceiling - floor) * random));
    }

    private static long saturatedShift(long value, int shift) {
        return value > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : value << shift;
    }

    private record Context(RetryContext retry) implements BackOffContext {
    }
}
