package io.msabatch.run;

import io.msabatch.api.OpenProteinException;
import io.msabatch.api.RequestListener;
import io.msabatch.api.TransientApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells a bad hour from a service that is gone: every usable answer (any status the API itself gives, 2xx to 4xx
 * except 429) resets it; calls that failed after all their retries are remembered. When nothing usable came for
 * {@code pipeline.give-up-after} while calls kept failing, the run gives up with {@link #cause()}: which call, what
 * the service answered, how many attempts over how long. Thread-safe; one per execution.
 */
public final class ServiceWatch implements RequestListener, AutoCloseable {

    private final Clock clock;
    private final Duration giveUpAfter;
    private volatile Instant lastUsable;
    private volatile OpenProteinException lastFailure;
    private volatile Instant lastFailureAt;
    private volatile String lastBadAnswer;
    private final java.util.concurrent.atomic.AtomicLong badSinceUsable = new java.util.concurrent.atomic.AtomicLong();
    private volatile Runnable onClose = () -> { };

    public ServiceWatch(Clock clock, Duration giveUpAfter) {
        this.clock = clock;
        this.giveUpAfter = giveUpAfter;
        this.lastUsable = clock.instant();
    }

    /** What ends this watch with its execution (e.g. taking it off the client's listeners). */
    public void onClose(Runnable action) {
        this.onClose = action;
    }

    @Override
    public void close() {
        onClose.run();
    }

    @Override
    public void exchanged(String route, int status, long nanos) {
        if (RequestListener.usable(status)) {
            lastUsable = clock.instant();
            badSinceUsable.set(0);
        } else {
            lastFailureAt = clock.instant();
            lastBadAnswer = route + (status == 0 ? " got no answer" : " answered " + status);
            badSinceUsable.incrementAndGet();
        }
    }

    /** A call failed for good (its retries used up). */
    public void failed(OpenProteinException e) {
        lastFailure = e;
        lastFailureAt = clock.instant();
    }

    /** True when calls keep failing and nothing usable came for the give-up time. */
    public boolean gaveUp() {
        Instant failedAt = lastFailureAt;
        return failedAt != null && failedAt.isAfter(lastUsable)
                && Duration.between(lastUsable, clock.instant()).compareTo(giveUpAfter) >= 0;
    }

    /** One line: since when nothing usable came, and the last failed call. */
    public String cause() {
        OpenProteinException e = lastFailure;
        boolean recent = e != null && lastFailureAt != null && !e.getMessage().isBlank();
        String tries = e instanceof TransientApiException t && t.attempts() > 0
                ? " (" + t.attempts() + " attempts over " + human(t.elapsed()) + ")" : "";
        return "the service gave no usable answer for " + human(Duration.between(lastUsable, clock.instant()))
                + " (setting pipeline.give-up-after; " + badSinceUsable.get() + " requests failed meanwhile); the last: "
                + (recent ? e.getMessage() + tries : String.valueOf(lastBadAnswer));
    }

    static String human(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = d.toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}
