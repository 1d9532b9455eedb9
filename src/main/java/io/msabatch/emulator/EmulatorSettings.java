package io.msabatch.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The emulator's static settings ({@code emulator.*}), read and validated once at start. A bad value fails the start
 * with a message that names the setting. {@code faults} holds the fault settings the server starts with; they can be
 * changed at run time. {@link #SETTINGS} lists every setting with its default and meaning (the help is made from it,
 * and the command line refuses names it does not list).
 */
public record EmulatorSettings(Map<String, String> users, Path dataDir, Routes routes, int maxRunningJobsPerUser,
        Duration minJobDuration, Duration maxJobDuration, boolean seedOnly, Duration tokenTtl, int maxSeedLength,
        long maxUploadSize, Duration visibilityDelay, Duration resultDelay, double fastaShare, int maxPageSize,
        double stragglerShare, int stragglerFirst, Duration stragglerDuration, Faults.Snapshot faults) {

    /** One {@code emulator.*} setting: its name, its default as text, and what it means. */
    public record Setting(String name, String defaultValue, String meaning) {
    }

    /** Every setting the emulator reads, in the order the help shows them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("emulator.users", "demo:demo", "users as name:password,name:password"),
            new Setting("emulator.data-dir", "./emulator-data", "folder of the H2 database: jobs, seeds, results"),
            new Setting("emulator.routes", "all", "which API era to serve: all, current (today's) or poet (2023)"),
            new Setting("emulator.max-running-jobs-per-user", "10", "jobs RUNNING at once per user; the rest wait PENDING"),
            new Setting("emulator.job-duration", "2s", "time a job stays RUNNING: fixed (2s) or a range (1s-5s)"),
            new Setting("emulator.msa-mode", "search", "search (homology search) or seed-only (the seed alone)"),
            new Setting("emulator.token-ttl", "15m", "access-token lifetime (expires_in)"),
            new Setting("emulator.max-seed-length", "10000", "longest seed in residues; longer: 400"),
            new Setting("emulator.max-upload-size", "1MB", "largest msa_file; larger: 413"),
            new Setting("emulator.visibility-delay", "1s", "a new job answers 404 and is missing from lists this long"),
            new Setting("emulator.result-delay", "0", "a SUCCESS job's MSA answers 404 this long"),
            new Setting("emulator.fasta-share", "0.5", "share of jobs whose MSA is sent as FASTA (text/x-fasta)"),
            new Setting("emulator.max-page-size", "100", "page_size is capped at this, silently"),
            new Setting("emulator.straggler-share", "0", "probability that a job stays PENDING for straggler-duration"),
            new Setting("emulator.straggler-first", "0", "the first N jobs after start stay PENDING for straggler-duration"),
            new Setting("emulator.straggler-duration", "1h", "how long a straggler stays PENDING"),
            new Setting("emulator.faults.http-5xx", "0", "probability of a 500/502/503 answer, before any processing"),
            new Setting("emulator.faults.http-429", "0", "probability of a 429 with Retry-After, before any processing"),
            new Setting("emulator.faults.retry-after", "1", "seconds in Retry-After"),
            new Setting("emulator.faults.disconnect", "0", "probability that a request is processed, then dropped unanswered"),
            new Setting("emulator.faults.http-5xx-after-create", "0",
                    "probability that a job-creating POST stores the job, then answers a CloudFront 503"),
            new Setting("emulator.faults.http-504", "0", "probability that an MSA download answers a CloudFront 504"),
            new Setting("emulator.faults.job-failure", "0", "probability that a job ends FAILURE"),
            new Setting("emulator.faults.retrying", "0", "probability that a job passes through RETRYING"),
            new Setting("emulator.faults.canceled", "0", "probability that a job ends CANCELED"),
            new Setting("emulator.faults.routes", "", "regex on \"METHOD /path\": faults only hit matching requests"));

    /** The default of a setting of {@link #SETTINGS}; an unlisted name is a programming error. */
    static String defaultOf(String name) {
        return SETTINGS.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not in EmulatorSettings.SETTINGS")).defaultValue();
    }

    static final String DEFAULT_DATA_DIR = defaultOf("emulator.data-dir");

    /** The longest seed H2 can hold in the seed column ({@code VARCHAR(1000000)}). */
    static final int SEED_COLUMN_LENGTH = 1_000_000;

    static EmulatorSettings from(Environment env) {
        Map<String, String> users = users(env.getProperty("emulator.users", defaultOf("emulator.users")));
        Path dataDir = Path.of(env.getProperty("emulator.data-dir", DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        Routes routes = Routes.parse(env.getProperty("emulator.routes", defaultOf("emulator.routes")));
        int maxRunning = integer(env, "emulator.max-running-jobs-per-user", Integer.parseInt(defaultOf("emulator.max-running-jobs-per-user")), 1);
        Duration[] range = durationRange(env.getProperty("emulator.job-duration", defaultOf("emulator.job-duration")));
        String mode = env.getProperty("emulator.msa-mode", defaultOf("emulator.msa-mode")).trim();
        if (!mode.equals("search") && !mode.equals("seed-only")) {
            throw new IllegalArgumentException("emulator.msa-mode must be 'search' or 'seed-only', got '" + mode + "'");
        }
        Duration ttl = duration(env, "emulator.token-ttl", defaultOf("emulator.token-ttl"));
        if (ttl.isZero()) {
            throw new IllegalArgumentException("emulator.token-ttl must be positive");
        }
        int maxSeed = integer(env, "emulator.max-seed-length", 10_000, 1);
        if (maxSeed > SEED_COLUMN_LENGTH) {
            throw new IllegalArgumentException("emulator.max-seed-length must be at most " + SEED_COLUMN_LENGTH);
        }
        long maxUpload;
        try {
            maxUpload = DataSize.parse(env.getProperty("emulator.max-upload-size", defaultOf("emulator.max-upload-size"))).toBytes();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("emulator.max-upload-size is not a size (e.g. 1MB)");
        }
        Faults.Snapshot faults = new Faults.Snapshot(probability(env, "emulator.faults.http-5xx"),
                probability(env, "emulator.faults.http-429"), probability(env, "emulator.faults.disconnect"),
                probability(env, "emulator.faults.job-failure"), probability(env, "emulator.faults.retrying"),
                probability(env, "emulator.faults.canceled"), probability(env, "emulator.faults.http-5xx-after-create"),
                probability(env, "emulator.faults.http-504"), faultRoutes(env.getProperty("emulator.faults.routes", defaultOf("emulator.faults.routes"))),
                integer(env, "emulator.faults.retry-after", Integer.parseInt(defaultOf("emulator.faults.retry-after")), 0));
        return new EmulatorSettings(users, dataDir, routes, maxRunning, range[0], range[1], mode.equals("seed-only"),
                ttl, maxSeed, maxUpload, duration(env, "emulator.visibility-delay", defaultOf("emulator.visibility-delay")),
                duration(env, "emulator.result-delay", defaultOf("emulator.result-delay")), probability(env, "emulator.fasta-share", defaultOf("emulator.fasta-share")),
                integer(env, "emulator.max-page-size", Integer.parseInt(defaultOf("emulator.max-page-size")), 1), probability(env, "emulator.straggler-share", defaultOf("emulator.straggler-share")),
                integer(env, "emulator.straggler-first", Integer.parseInt(defaultOf("emulator.straggler-first")), 0), duration(env, "emulator.straggler-duration", defaultOf("emulator.straggler-duration")),
                faults);
    }

    /** Which era of the API the server answers; a route of another era is a 404, as on a server without it. */
    enum Routes {
        /** Today's routes and the 2023 jobs page's, plus the aliases {@code GET /align/msa}, {@code /poet/align/inputs}. */
        ALL,
        /** Today's routes only ({@code /auth/*}, {@code /jobs*}, {@code POST /align/msa}, {@code GET /align/inputs}). */
        CURRENT,
        /** The 2023 jobs page's routes only ({@code /login/*}, {@code /poet/align/msa}, {@code /jobs*}). */
        POET;

        static Routes parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("emulator.routes must be 'all', 'current' or 'poet', got '"
                        + value + "'");
            }
        }
    }

    static Pattern faultRoutes(String regex) {
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
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("emulator.job-duration must be d or min-max with 0 <= min <= max");
        }
        return new Duration[] {min, max};
    }

    private static Duration duration(Environment env, String name, String defaultValue) {
        return duration(name, env.getProperty(name, defaultValue));
    }

    /** A duration >= 0: {@code 2s}, {@code 500ms}, {@code 15m}, or a bare number of milliseconds. */
    private static Duration duration(String name, String value) {
        Duration d;
        try {
            d = DurationStyle.detectAndParse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a duration (e.g. 2s, 500ms, 15m): '" + value + "'");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: '" + value + "'");
        }
        return d;
    }

    private static int integer(Environment env, String name, int defaultValue, int min) {
        String v = env.getProperty(name);
        if (v == null) {
            return defaultValue;
        }
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
        return probability(env, name, defaultOf(name));
    }

    private static double probability(Environment env, String name, String defaultValue) {
        return probability(name, env.getProperty(name, defaultValue));
    }

    @Override
    public String toString() {
        return "EmulatorSettings[users=" + users.keySet() + ", dataDir=" + dataDir + ", routes=" + routes + "]";
    }
}
