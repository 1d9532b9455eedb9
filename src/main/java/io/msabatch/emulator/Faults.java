package io.msabatch.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The fault probabilities in force; they start from the settings and can be changed at run time
 * ({@code PUT /emulator/faults}). Thread-safe: each update replaces an immutable snapshot.
 */
final class Faults {

    /**
     * One set of fault probabilities. {@code routes} (null = all) limits the request faults (5xx, 429, disconnect,
     * 5xx-after-create, 504) to matching {@code "METHOD /path"} strings; job faults apply to every job.
     */
    record Snapshot(double http5xx, double http429, double disconnect, double jobFailure, double retrying,
            double canceled, double http5xxAfterCreate, double http504, Pattern routes, int retryAfterSeconds) {

        boolean appliesTo(String methodAndPath) {
            return routes == null || routes.matcher(methodAndPath).find();
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("http-5xx", http5xx);
            m.put("http-429", http429);
            m.put("disconnect", disconnect);
            m.put("job-failure", jobFailure);
            m.put("retrying", retrying);
            m.put("canceled", canceled);
            m.put("http-5xx-after-create", http5xxAfterCreate);
            m.put("http-504", http504);
            m.put("routes", routes == null ? null : routes.pattern());
            m.put("retry-after", retryAfterSeconds);
            return m;
        }
    }

    private volatile Snapshot current;

    Faults(EmulatorSettings s) {
        current = s.faults();
    }

    Snapshot current() {
        return current;
    }

    /** Applies the given keys (same names as the settings without the prefix); throws IllegalArgumentException. */
    synchronized Snapshot update(Map<String, Object> changes) {
        Snapshot s = current;
        double http5xx = s.http5xx();
        double http429 = s.http429();
        double disconnect = s.disconnect();
        double jobFailure = s.jobFailure();
        double retrying = s.retrying();
        double canceled = s.canceled();
        double afterCreate = s.http5xxAfterCreate();
        double http504 = s.http504();
        Pattern routes = s.routes();
        int retryAfter = s.retryAfterSeconds();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            String name = "emulator.faults." + e.getKey();
            Object v = e.getValue();
            switch (e.getKey()) {
                case "http-5xx" -> http5xx = EmulatorSettings.probability(name, v);
                case "http-429" -> http429 = EmulatorSettings.probability(name, v);
                case "disconnect" -> disconnect = EmulatorSettings.probability(name, v);
                case "job-failure" -> jobFailure = EmulatorSettings.probability(name, v);
                case "retrying" -> retrying = EmulatorSettings.probability(name, v);
                case "canceled" -> canceled = EmulatorSettings.probability(name, v);
                case "http-5xx-after-create" -> afterCreate = EmulatorSettings.probability(name, v);
                case "http-504" -> http504 = EmulatorSettings.probability(name, v);
                case "routes" -> routes = v == null ? null : EmulatorSettings.faultRoutes(v.toString());
                case "retry-after" -> {
                    try {
                        retryAfter = Integer.parseInt(String.valueOf(v).replaceAll("\\.0+$", ""));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("retry-after must be whole seconds");
                    }
                    if (retryAfter < 0) {
                        throw new IllegalArgumentException("retry-after must be >= 0");
                    }
                }
                default -> throw new IllegalArgumentException("unknown fault '" + e.getKey() + "'");
            }
        }
        current = new Snapshot(http5xx, http429, disconnect, jobFailure, retrying, canceled, afterCreate, http504,
                routes, retryAfter);
        return current;
    }

    static boolean roll(double probability) {
        return probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
    }
}
