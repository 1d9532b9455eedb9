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
 * @param paths             which routes to use: {@code current} (today's service: {@code /api/v1/align/*}) or
 *                          {@code poet} (the 2023 jobs page: {@code /api/v1/poet/align/msa})
 * @param connectTimeout    TCP connect timeout
 * @param readTimeout       time allowed for an answer's headers once a request is sent (the service's CDN gives up
 *                          on a request after about 2 minutes; the official client allows 180 s for a POST)
 * @param allowInsecureHttp allow {@code http://} to a non-loopback host
 * @param credentialsFile   optional properties file with {@code username=} and {@code password=}
 * @param pageSize          rows asked for per page when listing jobs (at most 100, what the official client asks)
 * @param visibilityGrace   a job created this recently that answers 404, or is missing from a list, is "not visible
 *                          yet" rather than lost
 * @param resultGrace       how long a 404 on the MSA of a job reported SUCCESS is taken as "not stored yet"
 * @param retry             retry budget of one call
 */
@ConfigurationProperties(prefix = "openprotein", ignoreUnknownFields = false)
public record OpenProteinProperties(
        @DefaultValue("embedded") String baseUrl,
        @DefaultValue("current") Paths paths,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("180s") Duration readTimeout,
        @DefaultValue("false") boolean allowInsecureHttp,
        Path credentialsFile,
        @DefaultValue("100") int pageSize,
        @DefaultValue("30s") Duration visibilityGrace,
        @DefaultValue("2m") Duration resultGrace,
        @DefaultValue Retry retry) {

    public static final String EMBEDDED = "embedded";
    /** The largest page the client asks for. */
    public static final int MAX_PAGE_SIZE = 100;

    public OpenProteinProperties {
        if (baseUrl == null || baseUrl.isBlank()) {
            baseUrl = EMBEDDED;
        }
        if (paths == null) {
            paths = Paths.CURRENT;
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(180) : readTimeout;
        visibilityGrace = visibilityGrace == null ? Duration.ofSeconds(30) : visibilityGrace;
        resultGrace = resultGrace == null ? Duration.ofMinutes(2) : resultGrace;
        if (pageSize <= 0 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("openprotein.page-size must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (retry == null) {
            retry = new Retry(6, Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    /** The defaults, pointed at {@code baseUrl}; handy for tests and tools that build a client by hand. */
    public static OpenProteinProperties defaults(String baseUrl) {
        return new OpenProteinProperties(baseUrl, Paths.CURRENT, null, null, false, null, MAX_PAGE_SIZE, null, null, null);
    }

    public boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(baseUrl.trim());
    }

    /** A copy with another retry budget. */
    public OpenProteinProperties withRetry(Retry newRetry) {
        return new OpenProteinProperties(baseUrl, paths, connectTimeout, readTimeout, allowInsecureHttp,
                credentialsFile, pageSize, visibilityGrace, resultGrace, newRetry);
    }

    /** A copy with other timeouts. */
    public OpenProteinProperties withTimeouts(Duration connect, Duration read) {
        return new OpenProteinProperties(baseUrl, paths, connect, read, allowInsecureHttp, credentialsFile,
                pageSize, visibilityGrace, resultGrace, retry);
    }

    /** A copy with another route family. */
    public OpenProteinProperties withPaths(Paths newPaths) {
        return new OpenProteinProperties(baseUrl, newPaths, connectTimeout, readTimeout, allowInsecureHttp,
                credentialsFile, pageSize, visibilityGrace, resultGrace, retry);
    }

    /** A copy with other grace periods. */
    public OpenProteinProperties withGrace(Duration visibility, Duration result) {
        return new OpenProteinProperties(baseUrl, paths, connectTimeout, readTimeout, allowInsecureHttp,
                credentialsFile, pageSize, visibility, result, retry);
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
            initialBackoff = initialBackoff == null ? Duration.ofMillis(500) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        }
    }

    /** The route family of MSA jobs: where they are created and where their MSA and seed are read. */
    public enum Paths {
        /** Today's service (the newest official client): {@code POST /api/v1/align/msa}, {@code GET /api/v1/align/inputs}. */
        CURRENT("/api/v1/align/msa", "/api/v1/align/inputs"),
        /** The 2023 jobs page: {@code POST} and {@code GET /api/v1/poet/align/msa}. */
        POET("/api/v1/poet/align/msa", "/api/v1/poet/align/msa");

        private final String submitPath;
        private final String resultsPath;

        Paths(String submitPath, String resultsPath) {
            this.submitPath = submitPath;
            this.resultsPath = resultsPath;
        }

        /** Where a job is created. */
        public String submitPath() {
            return submitPath;
        }

        /** Where a job's MSA ({@code msa_type=GENERATED}) and seed ({@code RAW}) are read. */
        public String resultsPath() {
            return resultsPath;
        }
    }
}
