package io.msabatch.output;

import java.util.Locale;
import java.util.Set;

/**
 * Turns record ids into file base names that are safe on Linux, macOS and Windows: only {@code [A-Za-z0-9._-]}, no
 * path separators, no {@code ..}, no leading or trailing dot, no leading dash, no Windows device names, never empty,
 * at most {@link #MAX_LENGTH} characters. Different ids can map to the same name ({@code a/b} and {@code a|b} both give
 * {@code a_b}); the caller resolves clashes with {@link #withSuffix}. Pure functions, thread-safe.
 */
public final class SafeNames {

    /** Longest name returned, leaving room for the extension and the temporary-file prefix/suffix within 255 bytes. */
    public static final int MAX_LENGTH = 120;

    /** The name of an empty or null id. */
    public static final String EMPTY_ID_NAME = "record";

    /** Separates a clashing name from its number: {@code abc--2}. */
    public static final String SUFFIX_SEPARATOR = "--";

    private static final int HASH_CHARS = 10;

    private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeNames() {
    }

    /**
     * The safe base name of {@code id}: every character outside {@code [A-Za-z0-9._-]} (one per code point) becomes
     * {@code _}, a dot that starts the name, follows a dot or ends the name becomes {@code _}, so does a dash that starts
     * it (report.csv would write such a name with a leading {@code '}, as a formula, naming no file; and shell tools
     * take it for an option), Windows device names get a trailing {@code _}; a result over {@link #MAX_LENGTH} is cut
     * and ends with {@code -} plus 10 hex characters of the SHA-256 of the whole id, so long ids that share a prefix
     * stay apart.
     */
    public static String of(String id) {
        if (id == null || id.isEmpty()) {
            return EMPTY_ID_NAME;
        }
        StringBuilder sb = new StringBuilder(Math.min(id.length(), 4 * MAX_LENGTH));
        id.codePoints().forEach(cp -> {
            boolean allowed = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                    || cp == '.' || cp == '_' || cp == '-';
            sb.append(allowed ? (char) cp : '_');
        });
        if (sb.charAt(0) == '-') {
            sb.setCharAt(0, '_');
        }
        String name = fixDots(sb);
        if (name.length() > MAX_LENGTH) {
            String hash = MsaFiles.sha256(id).substring(0, HASH_CHARS);
            name = fixDots(new StringBuilder(name.substring(0, MAX_LENGTH - HASH_CHARS - 1))) + "-" + hash;
        }
        return avoidDevice(name);
    }

    /**
     * {@code safeBase} with clash number {@code n} (n >= 2): {@code abc--2}. The result is again a safe name (the base is
     * shortened to stay within {@link #MAX_LENGTH}); it can equal the safe name of another id, so the caller must check
     * it is free.
     */
    public static String withSuffix(String safeBase, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("suffix numbers start at 2, was " + n);
        }
        String suffix = SUFFIX_SEPARATOR + n;
        String base = of(safeBase);
        if (base.length() + suffix.length() > MAX_LENGTH) {
            base = fixDots(new StringBuilder(base.substring(0, MAX_LENGTH - suffix.length())));
        }
        return base + suffix;
    }

    private static String fixDots(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            if (sb.charAt(i) == '.' && (i == 0 || sb.charAt(i - 1) == '.' || i == sb.length() - 1)) {
                sb.setCharAt(i, '_');
            }
        }
        return sb.toString();
    }

    private static String avoidDevice(String name) {
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT);
        if (WINDOWS_DEVICES.contains(stem)) {
            return dot < 0 ? name + "_" : name.substring(0, dot) + "_" + name.substring(dot);
        }
        return name;
    }
}
