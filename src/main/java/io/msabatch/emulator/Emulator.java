package io.msabatch.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

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
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(Map)}, with the clock of tokens, job dates, visibility and result delays (tests). */
    static RunningEmulator start(Map<String, String> settings, Clock clock) {
        Map<String, Object> forced = new LinkedHashMap<>(settings);
        // Independent of any other Spring context in this JVM: its own config file name, database and schema.
        forced.put("spring.config.name", "msa-emulator");
        String dataDir = settings.getOrDefault("emulator.data-dir", EmulatorSettings.DEFAULT_DATA_DIR);
        Path db = Path.of(dataDir).toAbsolutePath().normalize().resolve("emulator");
        // WRITE_DELAY=0: a commit reaches the file before the job's POST is answered (H2 otherwise writes up to
        // half a second later, and a kill -9 then loses jobs whose ids the client already holds).
        // QUERY_CACHE_SIZE: the emulator prepares a few dozen distinct statements; H2 keeps 8 parsed per session.
        forced.put("spring.datasource.url", "jdbc:h2:file:" + db
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        forced.put("spring.datasource.username", "sa");
        forced.put("spring.datasource.password", "");
        forced.put("spring.flyway.locations", "classpath:db/emulator");
        forced.put("spring.batch.job.enabled", "false");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("emulatorSettings", forced));
        environment.getPropertySources().addLast(new MapPropertySource("emulatorDefaults", defaults()));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EmulatorConfiguration.class)
                .web(WebApplicationType.SERVLET)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .environment(environment)
                .initializers(c -> c.getBeanFactory().registerSingleton("emulatorClock", clock))
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String address = context.getEnvironment().getProperty("server.address", "127.0.0.1");
        String host = address.contains(":") ? "[" + address + "]" : address;
        if ("0.0.0.0".equals(address) || "::".equals(address)) {
            host = "127.0.0.1";
        }
        String baseUrl = "http://" + host + ":" + port;
        return new Running(context, baseUrl, port);
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("server.port", "8080");
        d.put("server.address", "127.0.0.1");
        d.put("spring.main.banner-mode", "off");
        d.put("spring.datasource.hikari.pool-name", "emulator");
        d.put("spring.datasource.hikari.maximum-pool-size", "8");
        d.put("spring.jmx.enabled", "false");
        d.put("server.error.include-stacktrace", "never");
        d.put("server.tomcat.max-swallow-size", "16MB");
        return d;
    }

    /** A started server; tests of this package reach its beans through {@code context}. */
    record Running(ConfigurableApplicationContext context, String baseUrl, int port)
            implements RunningEmulator {
        @Override
        public void close() {
            context.close();
        }
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
