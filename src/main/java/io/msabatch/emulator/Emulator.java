package io.msabatch.emulator;

import java.util.Map;

/**
 * Starts the OpenProtein-compatible emulator in this JVM. Used by {@code msa-batch emulator}, by the pipeline
 * when {@code openprotein.base-url=embedded}, and by tests.
 */
public final class Emulator {

    private Emulator() {
    }

    /**
     * Starts a server. {@code settings} holds Spring property names and values, e.g. {@code emulator.users},
     * {@code emulator.data-dir}, {@code server.port} ({@code 0} = a free port), {@code server.address}.
     * Missing settings take their defaults (port 8080 on 127.0.0.1).
     */
    public static RunningEmulator start(Map<String, String> settings) {
        throw new UnsupportedOperationException("emulator not built yet");
    }

    /** A started emulator; {@link #close()} stops it and releases its database. */
    public interface RunningEmulator extends AutoCloseable {
        /** Root URL, e.g. {@code http://127.0.0.1:43121}, without a trailing slash. */
        String baseUrl();

        int port();

        @Override
        void close();
    }
}
