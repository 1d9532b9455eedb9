package io.msabatch.api;

import io.msabatch.emulator.Emulator;

/**
 * Where the client sends its requests: the configured service, or an emulator started in this JVM for
 * {@code openprotein.base-url=embedded}, which {@link #close()} stops.
 */
public final class OpenProteinEndpoint implements AutoCloseable {

    private final String baseUrl;
    private final Emulator.RunningEmulator emulator;

    OpenProteinEndpoint(String baseUrl, Emulator.RunningEmulator emulator) {
        this.baseUrl = baseUrl;
        this.emulator = emulator;
    }

    /** The root URL requests go to, e.g. {@code https://api.openprotein.ai} or {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** True when this endpoint is an emulator started in this JVM. */
    public boolean embedded() {
        return emulator != null;
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Override
    public String toString() {
        return embedded() ? "embedded emulator at " + baseUrl : baseUrl;
    }
}
