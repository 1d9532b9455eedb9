package io.msabatch.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the free-form settings of the command line into Spring property names and values. Accepts
 * {@code --name=value}, {@code --name value} and a bare {@code --flag} (meaning {@code true}).
 */
final class Settings {

    private Settings() {
    }

    /** Setting families msa-batch reads; anything else on the command line is a typo or an unknown option. */
    static final List<String> KNOWN_PREFIXES = List.of("pipeline.", "openprotein.", "emulator.", "spring.", "logging.",
            "management.",
            "server.", "debug", "trace");

    static Map<String, String> parse(List<String> tokens) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("--") || token.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + token
                        + "'. Settings are given as --name=value or --name value; see --help.");
            }
            String body = token.substring(2);
            if (KNOWN_PREFIXES.stream().noneMatch(body::startsWith)) {
                throw new IllegalArgumentException("unknown option '" + token + "'; settings start with pipeline., "
                        + "openprotein., emulator. or spring. (see --help and README)");
            }
            int eq = body.indexOf('=');
            if (eq > 0) {
                settings.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                settings.put(body, tokens.get(++i));
            } else {
                settings.put(body, "true");
            }
        }
        return settings;
    }
}
