package io.msabatch.api;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link OpenProteinClient} from the {@code openprotein.*} settings and the {@link OpenProteinEndpoint} the
 * application provides. The client is created lazily, on first use, so that a run with nothing to do never starts an
 * embedded emulator or logs in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpenProteinProperties.class)
public class OpenProteinConfiguration {

    static final String DEFAULT_USER = "demo";

    @Bean
    @Lazy
    public OpenProteinClient openProteinClient(OpenProteinProperties properties, OpenProteinEndpoint endpoint,
                                               Environment env, ObjectProvider<Clock> clock) {
        Credentials credentials = credentials(properties, env, endpoint.embedded());
        try {
            return new OpenProteinClient(properties, endpoint.baseUrl(), credentials,
                    clock.getIfAvailable(Clock::systemUTC), new org.springframework.retry.backoff.ThreadWaitSleeper());
        } catch (IllegalArgumentException e) {
            throw new OpenProteinSetupException(e.getMessage(), e);
        }
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
                throw new OpenProteinSetupException(e.getMessage(), e);
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
            throw new OpenProteinSetupException("Only one of " + Credentials.USERNAME_ENV + " and " + Credentials.PASSWORD_ENV
                    + " is set; set both, or name a credentials file with openprotein.credentials-file.");
        }
        if (embedded) {
            return new Credentials(DEFAULT_USER, DEFAULT_USER);
        }
        throw new OpenProteinSetupException("No OpenProtein credentials: set the environment variables "
                + Credentials.USERNAME_ENV + " and " + Credentials.PASSWORD_ENV
                + ", or set openprotein.credentials-file to a file with username= and password= lines.");
    }
}
