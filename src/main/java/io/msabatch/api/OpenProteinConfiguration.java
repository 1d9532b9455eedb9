package io.msabatch.api;

import io.msabatch.FatalException;
import io.msabatch.emulator.Emulator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Builds the {@link OpenProteinClient} from the {@code openprotein.*} settings. With {@code base-url=embedded} it
 * first starts the emulator in this JVM on a free loopback port (with every {@code emulator.*} setting, and its
 * data beside the pipeline's state so a resumed run finds its jobs) and stops it when the context closes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpenProteinProperties.class)
public class OpenProteinConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OpenProteinConfiguration.class);

    /** Set by the pipeline to an absolute directory before its context starts. */
    static final String STATE_DIR = "msa-batch.state-dir";
    static final String EMULATOR_PREFIX = "emulator.";
    static final String DEFAULT_USER = "demo";

    @Bean(destroyMethod = "close")
    public OpenProteinEndpoint openProteinEndpoint(OpenProteinProperties properties, ConfigurableEnvironment env) {
        if (!properties.embedded()) {
            return new OpenProteinEndpoint(properties.baseUrl().trim(), null);
        }
        Map<String, String> settings = emulatorSettings(env);
        Emulator.RunningEmulator emulator = Emulator.start(settings);
        log.info("Started the embedded OpenProtein emulator at {} (data in {})", emulator.baseUrl(),
                settings.get("emulator.data-dir"));
        return new OpenProteinEndpoint(emulator.baseUrl(), emulator);
    }

    @Bean
    public OpenProteinClient openProteinClient(OpenProteinProperties properties, OpenProteinEndpoint endpoint,
                                               Environment env, ObjectProvider<Clock> clock) {
        Credentials credentials = credentials(properties, env, endpoint.embedded());
        try {
            return new OpenProteinClient(properties, endpoint.baseUrl(), credentials,
                    clock.getIfAvailable(Clock::systemUTC), new org.springframework.retry.backoff.ThreadWaitSleeper());
        } catch (IllegalArgumentException e) {
            throw new FatalException(e.getMessage(), e);
        }
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
            String state = env.getProperty(STATE_DIR);
            Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(".msa-batch");
            return base.resolve("emulator").toAbsolutePath().toString();
        });
        return settings;
    }

    /**
     * The credentials, in this order: {@code openprotein.credentials-file}; the environment variables
     * {@code OPENPROTEIN_USERNAME}/{@code OPENPROTEIN_PASSWORD}; the emulator's {@code demo}/{@code demo} user when
     * embedded. Otherwise startup fails with one sentence saying how to give them.
     */
    static Credentials credentials(OpenProteinProperties properties, Environment env, boolean embedded) {
        if (properties.credentialsFile() != null) {
            try {
                return Credentials.fromFile(properties.credentialsFile());
            } catch (IllegalArgumentException e) {
                throw new FatalException(e.getMessage(), e);
            }
        }
        String user = env.getProperty(Credentials.USERNAME_ENV);
        String password = env.getProperty(Credentials.PASSWORD_ENV);
        boolean hasUser = user != null && !user.isBlank();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser && hasPassword) {
            return new Credentials(user.trim(), password);
        }
        if (hasUser || hasPassword) {
            throw new FatalException("Only one of " + Credentials.USERNAME_ENV + " and " + Credentials.PASSWORD_ENV
                    + " is set; set both, or name a credentials file with openprotein.credentials-file.");
        }
        if (embedded) {
            return new Credentials(DEFAULT_USER, DEFAULT_USER);
        }
        throw new FatalException("No OpenProtein credentials: set the environment variables "
                + Credentials.USERNAME_ENV + " and " + Credentials.PASSWORD_ENV
                + ", or set openprotein.credentials-file to a file with username= and password= lines.");
    }
}
