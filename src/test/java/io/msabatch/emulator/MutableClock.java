package io.msabatch.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that stands still until a test moves it; thread-safe. Starts at a fixed instant with microseconds. */
final class MutableClock extends Clock {

    private volatile Instant now;

    MutableClock() {
        this(Instant.parse("2026-12-01T20:01:02.123456Z"));
    }

    MutableClock(Instant start) {
        this.now = start;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a UTC test clock");
    }
}
