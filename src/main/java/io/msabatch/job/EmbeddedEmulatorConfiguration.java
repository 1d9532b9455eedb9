package io.msabatch.job;

import io.msabatch.api.OpenProteinEndpoint;
import io.msabatch.api.OpenProteinProperties;
import io.msabatch.run.PipelineProperties;
import io.msabatch.emulator.Emulator;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Provides the client's {@link OpenProteinEndpoint}: the configured service, or for
 * {@code openprotein.base-url=embedded} an emulator started in this JVM on a free loopback port (with every
 * {@code emulator.*} setting, and its data in the state folder so that a resumed run finds its jobs), stopped when the
 * context closes. Lazy: a run with nothing to do starts no emulator.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedEmulatorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEmulatorConfiguration.class);
    static final String EMULATOR_PREFIX = "emulator.";

    @Bean(destroyMethod = "close")
    @Lazy
    Endpoint openProteinEndpoint(OpenProteinProperties properties, ConfigurableEnvironment env) {
        if (!properties.embedded()) {
            return new Endpoint(properties.baseUrl().trim(), null);
        }
        Map<String, String> settings = emulatorSettings(env);
        Emulator.RunningEmulator emulator = Emulator.start(settings);
        log.info("Started the embedded OpenProtein emulator at {} (data in {})", emulator.baseUrl(),
                settings.get("emulator.data-dir"));
        return new Endpoint(emulator.baseUrl(), emulator);
    }

    /** The emulator's settings: every {@code emulator.*} property, a free loopback port, and its data directory. */
    static Map<String, String> emulatorSettings(ConfigurableEnvironment env) {
        Map<String, String> settings = new TreeMap<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(EMULATOR_PREFIX) && !settings.containsKey(name)) {
                        String value = env.getProperty(name);
                        if (value != null) {
                            settings.put(name, value);
                        }
                    }
                }
            }
        }
        settings.put("server.port", "0");
        settings.put("server.address", "127.0.0.1");
        settings.computeIfAbsent("emulator.data-dir", k -> {
            String state = env.getProperty(PipelineProperties.STATE_DIR_KEY);
            Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(".msa-batch");
            return base.resolve("emulator").toAbsolutePath().toString();
        });
        return settings;
    }

    /** The endpoint, and the emulator behind it when embedded. */
    record Endpoint(String baseUrl, Emulator.RunningEmulator emulator) implements OpenProteinEndpoint, AutoCloseable {

        @Override
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
}
