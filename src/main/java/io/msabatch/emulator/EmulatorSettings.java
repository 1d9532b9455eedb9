package io.msabatch.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The emulator's static settings ({@code emulator.*}), read and validated once at start. A bad value fails the start
 * with a message that names the setting. {@link #SETTINGS} lists every one of them with its default and meaning.
 */
public record EmulatorSettings(Map<String, String> users, Path dataDir, int maxRunningJobsPerUser, Duration minJobDuration,
        Duration maxJobDuration, boolean seedOnly, Duration tokenTtl, int maxSeedLength, long maxUploadSize,
        double http5xx, double http429, double disconnect, double jobFailure, double retrying, double canceled, Pattern faultRoutes,
        int retryAfterSeconds) {

    /** One {@code emulator.*} setting: its full name, its default as text ("" = none) and what it means. */
    public record Setting(String name, String defaultValue, String meaning) {
    }

    /**
     * Every {@code emulator.*} setting, in the order of the documentation. {@link #from} takes its defaults from here,
     * and the command line builds its help and its check of setting names from it.
     */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("emulator.users", "demo:demo", "users as name:password,name:password"),
            new Setting("emulator.data-dir", "./emulator-data", "folder of the H2 database: jobs, seeds, results"),
            new Setting("emulator.max-running-jobs-per-user", "10",
                    "jobs RUNNING at once per user; the rest wait PENDING, oldest first"),
            new Setting("emulator.job-duration", "2s",
                    "time a job stays RUNNING after its compute: fixed (2s, 500ms) or a range (1s-5s, uniform)"),
            new Setting("emulator.msa-mode", "search",
                    "search = homology search; seed-only = the MSA is the seed alone (load tests)"),
            new Setting("emulator.token-ttl", "15m", "access-token lifetime (expires_in)"),
            new Setting("emulator.max-seed-length", "10000", "longest seed in residues; longer: 400"),
            new Setting("emulator.max-upload-size", "1MB", "largest msa_file; larger: 413"),
            new Setting("emulator.faults.http-5xx", "0", "probability of a 500/502/503 answer, before any processing"),
            new Setting("emulator.faults.http-429", "0",
                    "probability of a 429 with Retry-After, before any processing"),
            new Setting("emulator.faults.retry-after", "1", "seconds in Retry-After"),
            new Setting("emulator.faults.disconnect", "0",
                    "probability that a request is processed and then the connection is closed with no answer"),
            new Setting("emulator.faults.job-failure", "0",
                    "probability that a job ends FAILURE with a failure_message"),
            new Setting("emulator.faults.retrying", "0",
                    "probability that a job goes RUNNING, RETRYING, RUNNING before it ends"),
            new Setting("emulator.faults.canceled", "0", "probability that a job ends CANCELED"),
            new Setting("emulator.faults.routes", "",
                    "regex on \"METHOD /path\"; when set, 5xx/429/disconnect only hit matching requests"));

    static final String DEFAULT_DATA_DIR = defaultOf("emulator.data-dir");

    /** The default of a setting of {@link #SETTINGS}; an unlisted name is a programming error. */
    static String defaultOf(String name) {
        return SETTINGS.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no emulator setting " + name)).defaultValue();
    }

    static EmulatorSettings from(Environment env) {
        Map<String, String> users = users(env.getProperty("emulator.users", defaultOf("emulator.users")));
        Path dataDir = Path.of(env.getProperty("emulator.data-dir", DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        int maxRunning = integer(env, "emulator.max-running-jobs-per-user", 1);
        Duration[] range = durationRange(env.getProperty("emulator.job-duration", defaultOf("emulator.job-duration")));
        String mode = env.getProperty("emulator.msa-mode", defaultOf("emulator.msa-mode")).trim();
        if (!mode.equals("search") && !mode.equals("seed-only")) {
            throw new IllegalArgumentException("emulator.msa-mode must be 'search' or 'seed-only', got '" + mode + "'");
        }
        Duration ttl = duration("emulator.token-ttl", env.getProperty("emulator.token-ttl", defaultOf("emulator.token-ttl")));
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("emulator.token-ttl must be positive");
        }
        int maxSeed = integer(env, "emulator.max-seed-length", 1);
        long maxUpload;
        try {
            maxUpload = DataSize.parse(env.getProperty("emulator.max-upload-size", defaultOf("emulator.max-upload-size"))).toBytes();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("emulator.max-upload-size is not a size (e.g. 1MB)");
        }
        String routes = env.getProperty("emulator.faults.routes", defaultOf("emulator.faults.routes"));
        return new EmulatorSettings(users, dataDir, maxRunning, range[0], range[1], mode.equals("seed-only"), ttl,
                maxSeed, maxUpload, probability(env, "emulator.faults.http-5xx"),
                probability(env, "emulator.faults.http-429"), probability(env, "emulator.faults.disconnect"),
                probability(env, "emulator.faults.job-failure"), probability(env, "emulator.faults.retrying"),
                probability(env, "emulator.faults.canceled"), routes(routes), integer(env, "emulator.faults.retry-after", 0));
    }

    static Pattern routes(String regex) {
        if (regex == null || regex.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("emulator.faults.routes is not a regular expression: " + regex);
        }
    }

    static Map<String, String> users(String spec) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("emulator.users must be name:password,...; bad entry for user '"
                        + (colon > 0 ? e.substring(0, colon) : "?") + "'");
            }
            users.put(e.substring(0, colon), e.substring(colon + 1));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("emulator.users names no user");
        }
        return Collections.unmodifiableMap(users);
    }

    /** {@code 2s}, {@code 200ms} or a range {@code 1s-5s}. */
    static Duration[] durationRange(String value) {
        String v = value.trim();
        int dash = v.indexOf('-', 1);
        Duration min;
        Duration max;
        if (dash > 0) {
            min = duration("emulator.job-duration", v.substring(0, dash));
            max = duration("emulator.job-duration", v.substring(dash + 1));
        } else {
            min = duration("emulator.job-duration", v);
            max = min;
        }
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("emulator.job-duration must be d or min-max with 0 <= min <= max");
        }
        return new Duration[] {min, max};
    }

    private static Duration duration(String name, String value) {
        try {
            return DurationStyle.detectAndParse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a duration (e.g. 2s, 500ms, 15m): '" + value + "'");
        }
    }

    private static int integer(Environment env, String name, int min) {
        String v = env.getProperty(name, defaultOf(name));
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer >= " + min + ", got '" + v + "'");
        }
    }

    static double probability(String name, Object value) {
        try {
            double p = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
            if (!(p >= 0 && p <= 1)) {
                throw new NumberFormatException();
            }
            return p;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a probability from 0 to 1, got '" + value + "'");
        }
    }

    private static double probability(Environment env, String name) {
        return probability(name, env.getProperty(name, defaultOf(name)));
    }

    @Override
    public String toString() {
        return "EmulatorSettings[users=" + users.keySet() + ", dataDir=" + dataDir + "]";
    }
}
