package io.msabatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the free-form settings of the command line into Spring property names and values. Accepts
 * {@code --name=value}, {@code --name value} and a bare {@code --flag} (meaning {@code true}). Anything else, and a
 * name that is no setting, is a bad command line ({@link UsageException}, exit 2).
 */
final class Settings {

    private Settings() {
    }

    /** Setting families msa-batch reads; anything else on the command line is a typo or an unknown option. */
    static final List<String> KNOWN_PREFIXES = List.of("pipeline.", "openprotein.", "emulator.", "spring.", "logging.",
            "management.",
            "server.", "debug", "trace");

    static Map<String, String> parse(List<String> tokens) {
        return parse(tokens, List.of());
    }

    /**
     * The settings in {@code tokens}, in order. {@code options} are the command's own options (such as
     * {@code --input}), offered as "did you mean" beside the settings when a name is mistyped.
     */
    static Map<String, String> parse(List<String> tokens, List<String> options) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("--") || token.length() == 2) {
                throw new UsageException("unexpected argument '" + token
                        + "'; settings are given as --name=value or --name value (see --help)");
            }
            String body = token.substring(2);
            int eq = body.indexOf('=');
            String name = eq > 0 ? body.substring(0, eq) : body;
            if (KNOWN_PREFIXES.stream().noneMatch(name::startsWith)) {
                throw new UsageException("unknown option --" + name + suggestion(name, options)
                        .orElse("; settings start with pipeline., openprotein., emulator. or spring. (see --help)"));
            }
            if (eq > 0) {
                settings.put(name, body.substring(eq + 1));
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                settings.put(name, tokens.get(++i));
            } else {
                settings.put(name, "true");
            }
        }
        SettingsCheck.commandLine(settings);
        return settings;
    }

    private static Optional<String> suggestion(String name, List<String> options) {
        List<String> candidates = new ArrayList<>(options);
        SettingsCatalog.get().documented().forEach(s -> candidates.add("--" + s.name()));
        return SettingsCatalog.closest(name, candidates).map(c -> "; did you mean " + c + "?");
    }
}
