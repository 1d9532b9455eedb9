package io.msabatch.cli;

import io.msabatch.emulator.EmulatorSettings;
import io.msabatch.run.PipelineProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every setting msa-batch reads under the prefixes it owns ({@code pipeline.}, {@code openprotein.}, {@code emulator.},
 * {@code msa-batch.}): the {@code @ConfigurationProperties} records as the configuration processor describes them in
 * {@code META-INF/spring-configuration-metadata.json} (name, type, default, the record's {@code @param} text), the
 * emulator's own table, and the launcher's internal keys. Names compare as Spring's relaxed binding does (case,
 * {@code -} and {@code _} ignored). Immutable and thread-safe.
 */
final class SettingsCatalog {

    /** The prefixes msa-batch owns: a name under one of them that no setting has is refused. */
    static final List<String> OWNED_PREFIXES = List.of("pipeline.", "openprotein.", "emulator.", "msa-batch.");

    /** Keys the launcher sets for the context itself; known, but not settings a user gives. */
    private static final List<String> INTERNAL = List.of(PipelineLauncher.DEFAULT_NAME, PipelineProperties.STATE_DIR_KEY,
            PipelineLauncher.COMMAND_KEY);

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    /** The record of each top-level group ({@code pipeline}, {@code openprotein}), as the metadata names them. */
    private static final Map<String, Class<?>> ROOTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final SettingsCatalog INSTANCE = load();

    /**
     * One setting. {@code defaultValue} is null when it has none, {@code allowed} lists the values of an enumeration
     * (empty otherwise), {@code description} is plain text (possibly empty).
     */
    record Setting(String name, String type, String defaultValue, String description, List<String> allowed,
                   boolean internal) {

        /** Whether the value is a file or folder (a leading {@code ~} is the home folder). */
        boolean isPath() {
            return "java.nio.file.Path".equals(type) || name.equals("emulator.data-dir");
        }
    }

    private final List<Setting> settings;

    private SettingsCatalog(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    static SettingsCatalog get() {
        return INSTANCE;
    }

    /** Every setting a user may give, internal keys left out, in the order of the help. */
    List<Setting> documented() {
        return settings.stream().filter(s -> !s.internal()).toList();
    }

    /** The setting {@code key} names, compared as relaxed binding does. */
    Optional<Setting> find(String key) {
        String wanted = relaxed(key);
        return settings.stream().filter(s -> relaxed(s.name()).equals(wanted)).findFirst();
    }

    /** Whether {@code key} lies under a prefix msa-batch owns (so that it must name a known setting). */
    static boolean owned(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return OWNED_PREFIXES.stream().anyMatch(k::startsWith);
    }

    /**
     * The documented setting closest to {@code key}, when it is close enough to be what was meant: the one that ends
     * with the given name after its prefix ({@code max-in-flight} for {@code pipeline.max-in-flight}), else the
     * nearest by edit distance within about a fifth of its length. Empty when nothing is close.
     */
    Optional<String> suggest(String key) {
        return closest(key, documented().stream().map(Setting::name).toList());
    }

    /** As {@link #suggest}, among {@code candidates}. */
    static Optional<String> closest(String key, List<String> candidates) {
        String given = relaxed(key.startsWith("--") ? key.substring(2) : key);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        for (String c : candidates) {
            String rc = relaxed(c.startsWith("--") ? c.substring(2) : c);
            if (rc.endsWith("." + given)) {
                return Optional.of(c);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(given, relaxed(c.startsWith("--") ? c.substring(2) : c));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 5) ? Optional.of(best) : Optional.empty();
    }

    /** The lower-case name without {@code -} and {@code _}: how relaxed binding compares names. */
    static String relaxed(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Edit distance with adjacent transpositions (optimal string alignment): {@code inptu} is one edit from {@code input}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static SettingsCatalog load() {
        List<Setting> all = new ArrayList<>(fromMetadata());
        if (all.stream().noneMatch(s -> s.name().startsWith("pipeline.")) || all.stream().noneMatch(s -> s.name()
                .startsWith("openprotein."))) {
            // a build without the configuration processor: help and the check of names would silently be wrong
            throw new IllegalStateException(METADATA + " with the pipeline and openprotein settings is missing from the "
                    + "classpath; build with Maven (the configuration processor writes it)");
        }
        all.sort(Comparator.comparing((Setting s) -> position(s), SettingsCatalog::compare));
        for (EmulatorSettings.Setting e : EmulatorSettings.SETTINGS) {
            all.add(new Setting(e.name(), "emulator", e.defaultValue(), e.meaning(), List.of(), false));
        }
        for (String key : INTERNAL) {
            all.add(new Setting(key, "java.lang.String", null, "", List.of(), true));
        }
        return new SettingsCatalog(all);
    }

    /**
     * Where a setting stands: its prefix's place, then its component's place in its record, and so on down nested
     * records ({@code openprotein.retry.max-attempts}), so that the help follows the order the records declare.
     */
    private static List<Integer> position(Setting s) {
        String prefix = prefixOf(s.name());
        List<Integer> position = new ArrayList<>(List.of(OWNED_PREFIXES.indexOf(prefix)));
        Class<?> type = ROOTS.get(prefix.substring(0, prefix.length() - 1));
        for (String segment : s.name().substring(prefix.length()).split("\\.")) {
            int found = Integer.MAX_VALUE;
            RecordComponent[] components = type != null && type.isRecord() ? type.getRecordComponents()
                    : new RecordComponent[0];
            for (int i = 0; i < components.length; i++) {
                if (relaxed(components[i].getName()).equals(relaxed(segment))) {
                    found = i;
                }
            }
            position.add(found);
            type = found == Integer.MAX_VALUE ? null : components[found].getType();
        }
        return position;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static String prefixOf(String name) {
        return name.substring(0, name.indexOf('.') + 1);
    }

    /** msa-batch's own entries of every metadata file on the classpath (Spring Boot's jars carry theirs too). */
    private static List<Setting> fromMetadata() {
        List<Setting> found = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files = SettingsCatalog.class.getClassLoader().getResources(METADATA);
            for (URL url : Collections.list(files)) {
                String text;
                try (InputStream in = url.openStream()) {
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                if (!text.contains("\"io.msabatch.")) {
                    continue; // one of Spring Boot's own (half a megabyte of JSON in all, parsed for nothing)
                }
                JsonNode root = json.readTree(text);
                for (JsonNode g : root.path("groups")) {
                    String name = g.path("name").asString();
                    if (!name.contains(".") && g.path("type").asString().startsWith("io.msabatch.")) {
                        Class<?> type = load(g.path("type").asString());
                        if (type != null) {
                            ROOTS.put(name, type);
                        }
                    }
                }
                for (JsonNode p : root.path("properties")) {
                    String name = p.path("name").asString();
                    if (!p.path("sourceType").asString().startsWith("io.msabatch.") || !owned(name)) {
                        continue;
                    }
                    String type = p.path("type").asString();
                    JsonNode dv = p.get("defaultValue");
                    found.add(new Setting(name, type, dv == null || dv.isNull() ? null : dv.asString(),
                            plain(p.path("description").asString()), allowedValues(type), false));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + METADATA, e);
        }
        return found;
    }

    /** The values of an enumeration type, as a user types them (lower case); empty for any other type. */
    private static List<String> allowedValues(String type) {
        Class<?> c = load(type);
        return c != null && c.isEnum() ? Arrays.stream(c.getEnumConstants())
                .map(v -> ((Enum<?>) v).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() : List.of();
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type, false, SettingsCatalog.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // a type this JVM cannot load (a primitive's name, say): no enumeration, no record
        }
    }

    /** Javadoc's inline tags as plain text: {@code {@code x}} and {@code {@link A#x}} become {@code x}. */
    static String plain(String javadoc) {
        return javadoc.replaceAll("\\{@(?:code|literal) ([^}]*)}", "$1")
                .replaceAll("\\{@link(?:plain)? (?:[\\w.]*#)?([^} ]+)[^}]*}", "$1")
                .replaceAll("\\s+", " ").strip();
    }

    /** Allowed values of the enumeration {@code type}, for messages; empty when it is none. */
    static List<String> allowedValues(Class<?> type) {
        return type != null && type.isEnum() ? allowedValues(type.getName()) : List.of();
    }
}
