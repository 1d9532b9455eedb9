package io.msabatch.api;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the OpenProtein client ({@code openprotein.*}). {@code baseUrl} is a root URL such as
 * {@code https://api.openprotein.ai}, or {@code embedded} to start the emulator in this JVM. Plain {@code http://}
 * is refused for any host that is not loopback unless {@code allowInsecureHttp} is true.
 *
 * @param baseUrl           service root, or {@code embedded}
 * @param paths             which MSA routes to use: {@code poet} ({@code /api/v1/poet/align/msa}) or
 *                          {@code current} ({@code /api/v1/align/msa})
 * @param connectTimeout    TCP connect timeout
 * @param readTimeout       time allowed for the answer's headers after the request is sent
 * @param allowInsecureHttp allow {@code http://} to a non-loopback host
 * @param credentialsFile   optional properties file with {@code username=} and {@code password=}
 * @param pageSize          page length used by {@code listJobs} when the query does not set one
 * @param retry             retry budget of one call
 */
@ConfigurationProperties("openprotein")
public record OpenProteinProperties(
        @DefaultValue("embedded") String baseUrl,
        @DefaultValue("poet") Paths paths,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("60s") Duration readTimeout,
        @DefaultValue("false") boolean allowInsecureHttp,
        Path credentialsFile,
        @DefaultValue("500") int pageSize,
        @DefaultValue Retry retry) {

    public static final String EMBEDDED = "embedded";

    public OpenProteinProperties {
        if (baseUrl == null || baseUrl.isBlank()) {
            baseUrl = EMBEDDED;
        }
        if (paths == null) {
            paths = Paths.POET;
        }
        if (connectTimeout == null) {
            connectTimeout = Duration.ofSeconds(10);
        }
        if (readTimeout == null) {
            readTimeout = Duration.ofSeconds(60);
        }
        if (pageSize <= 0) {
            pageSize = 500;
        }
        if (retry == null) {
            retry = new Retry(6, Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    /** The defaults, pointed at {@code baseUrl}; handy for tests and tools that build a client by hand. */
    public static OpenProteinProperties defaults(String baseUrl) {
        return new OpenProteinProperties(baseUrl, Paths.POET, null, null, false, null, 500, null);
    }

    public boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(baseUrl.trim());
    }

    /** A copy with another retry budget. */
    public OpenProteinProperties withRetry(Retry newRetry) {
        return new OpenProteinProperties(baseUrl, paths, connectTimeout, readTimeout, allowInsecureHttp,
                credentialsFile, pageSize, newRetry);
    }

    /** A copy with other timeouts. */
    public OpenProteinProperties withTimeouts(Duration connect, Duration read) {
        return new OpenProteinProperties(baseUrl, paths, connect, read, allowInsecureHttp, credentialsFile,
                pageSize, retry);
    }

    /** A copy with another MSA route family. */
    public OpenProteinProperties withPaths(Paths newPaths) {
        return new OpenProteinProperties(baseUrl, newPaths, connectTimeout, readTimeout, allowInsecureHttp,
                credentialsFile, pageSize, retry);
    }

    /**
     * Retry budget: at most {@code maxAttempts} tries of one call (the first included), waiting a random time up to
     * {@code initialBackoff * 2^n}, capped at {@code maxBackoff}, between them.
     */
    public record Retry(@DefaultValue("6") int maxAttempts, @DefaultValue("500ms") Duration initialBackoff,
                        @DefaultValue("30s") Duration maxBackoff) {
        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("openprotein.retry.max-attempts must be at least 1");
            }
            if (initialBackoff == null) {
                initialBackoff = Duration.ofMillis(500);
            }
            if (maxBackoff == null) {
                maxBackoff = Duration.ofSeconds(30);
            }
        }
    }

    /** The MSA route family. */
    public enum Paths {
        /** {@code /api/v1/poet/align/msa}: the path on the service's jobs page (default). */
        POET("/api/v1/poet/align/msa"),
        /** {@code /api/v1/align/msa}: the newest path. */
        CURRENT("/api/v1/align/msa");

        private final String msaPath;

        Paths(String msaPath) {
            this.msaPath = msaPath;
        }

        public String msaPath() {
            return msaPath;
        }
    }
}
