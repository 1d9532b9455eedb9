package io.msabatch.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts an emulator for one test: port 0, seed-only MSAs, 50 ms jobs, new jobs visible at once, users demo/demo and
 * alice/wonder; {@code keyValues} override or add settings.
 */
final class TestEmulators {

    private TestEmulators() {
    }

    static Emulator.Running start(Path dataDir, Clock clock, String... keyValues) {
        Map<String, String> settings = new HashMap<>(Map.of("server.port", "0",
                "emulator.data-dir", dataDir.toString(), "emulator.msa-mode", "seed-only",
                "emulator.job-duration", "50ms", "emulator.visibility-delay", "0",
                "emulator.users", "demo:demo,alice:wonder"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return (Emulator.Running) Emulator.start(settings, clock);
    }

    static Emulator.Running start(Path dataDir, String... keyValues) {
        return start(dataDir, Clock.systemUTC(), keyValues);
    }
}
