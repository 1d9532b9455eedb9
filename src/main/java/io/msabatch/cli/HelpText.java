package io.msabatch.cli;

import io.msabatch.run.ExitCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of the help that are made rather than written: the exit codes (the same table as README's "Exit codes")
 * and the settings, listed from {@link SettingsCatalog} with their defaults, allowed values and meanings. Every line
 * fits {@value #WIDTH} columns and is cut only between words.
 */
final class HelpText {

    static final int WIDTH = 80;

    /** Every exit code msa-batch ends with, in order, and what it means; README's "Exit codes" table says the same. */
    static final Map<Integer, String> EXIT_CODES = exitCodes();

    private HelpText() {
    }

    private static Map<Integer, String> exitCodes() {
        Map<Integer, String> codes = new LinkedHashMap<>();
        codes.put(ExitCodes.OK, "every accepted record has its file and nothing was rejected (also: this night had "
                + "already completed so); with --dry-run: every record would be accepted.");
        codes.put(ExitCodes.FATAL, "fatal: input missing, empty or unreadable, bad settings, another live run of this "
                + "pipeline, or the run failed; one line on stderr. Run again to resume.");
        codes.put(ExitCodes.USAGE, "bad command line: an unknown command, option or setting name, or an option "
                + "without its value.");
        codes.put(ExitCodes.INCOMPLETE, "the run completed, but some records have no file (rejected, failed, timed "
                + "out): see report.csv; with --dry-run: some records would be rejected.");
        codes.put(ExitCodes.STOPPED, "the run ended STOPPED without the process being signalled (e.g. it gave up on "
                + "the service). Run again to resume.");
        codes.put(130, "stopped by Ctrl-C after recording its state. Run again to resume.");
        codes.put(143, "stopped by SIGTERM after recording its state. Run again to resume.");
        return codes;
    }

    /** The "Exit codes" section. */
    static String exitCodesSection() {
        List<String> lines = new ArrayList<>();
        lines.add("Exit codes:");
        EXIT_CODES.forEach((code, meaning) -> lines.addAll(wrap(String.format("  %-5s", code), meaning, "       ")));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /**
     * The settings of the given prefixes, each under a heading, then {@code footer} (may be empty); {@code configFile}:
     * whether the command also reads them from a config file.
     */
    static String settingsSection(List<String> prefixes, boolean configFile, String footer) {
        List<String> lines = new ArrayList<>();
        lines.addAll(wrap("", "Settings, as --<name>=<value> or --<name> <value> on the command line"
                + (configFile ? " or as YAML in the config file (command-line values win)" : "")
                + ", with [default] and {allowed values}:", ""));
        for (String prefix : prefixes) {
            lines.add("");
            lines.add(switch (prefix) {
                case "pipeline." -> "The pipeline (pipeline.*):";
                case "openprotein." -> "The OpenProtein client (openprotein.*):";
                case "emulator." -> "The emulator (emulator.*; in a run, the embedded one's):";
                default -> prefix + "*:";
            });
            for (SettingsCatalog.Setting s : SettingsCatalog.get().documented()) {
                if (!s.name().startsWith(prefix)) {
                    continue;
                }
                String head = "  " + s.name() + " [" + (s.defaultValue() == null ? "none"
                        : s.defaultValue().isEmpty() ? "empty" : s.defaultValue()) + "]"
                        + (s.allowed().isEmpty() ? "" : " {" + String.join(", ", s.allowed()) + "}");
                lines.addAll(wrap("  ", head.substring(2), "      "));
                if (!s.description().isEmpty()) {
                    lines.addAll(wrap("      ", s.description(), "      "));
                }
            }
        }
        if (!footer.isEmpty()) {
            lines.add("");
            lines.addAll(wrap("", footer, ""));
        }
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /**
     * {@code prefix} (kept as it is) then {@code text} cut into lines of at most {@link #WIDTH} columns at spaces,
     * continuation lines starting with {@code indent}; a word longer than a line (a long URL) stands alone on its line.
     */
    static List<String> wrap(String prefix, String text, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.strip().split(" +")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }
}
