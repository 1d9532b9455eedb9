package io.msabatch.cli;

import io.msabatch.api.OpenProteinProperties;
import io.msabatch.run.FatalException;
import io.msabatch.run.PipelineProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.MapPropertySource;

/**
 * Checks the settings before anything starts: names under a prefix msa-batch owns must name a setting (a typo is
 * refused with the name and the closest setting), a leading {@code ~} in a path setting is the home folder, and the
 * {@code pipeline.*} and {@code openprotein.*} values must bind (a bad one is one line naming it, and for an
 * enumeration its allowed values).
 */
final class SettingsCheck {

    private SettingsCheck() {
    }

    /** Refuses command-line settings that name no setting under an owned prefix: a bad command line (exit 2). */
    static void commandLine(Map<String, String> settings) {
        List<String> problems = unknown(settings.keySet(), "--");
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("; ", problems));
        }
    }

    /** Refuses config-file keys that name no setting under an owned prefix: bad settings (exit 1). */
    static void configFile(Map<String, String> flattened, Path file) {
        List<String> problems = unknown(flattened.keySet(), "");
        if (!problems.isEmpty()) {
            throw new FatalException(String.join("; ", problems) + " (in config file " + file + ")");
        }
    }

    private static List<String> unknown(Iterable<String> keys, String dashes) {
        SettingsCatalog catalog = SettingsCatalog.get();
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (SettingsCatalog.owned(key) && catalog.find(key).isEmpty()) {
                problems.add("unknown setting " + dashes + key + catalog.suggest(key)
                        .map(s -> "; did you mean " + dashes + s + "?").orElse(""));
            }
        }
        return problems;
    }

    /**
     * Command-line overrides that expand a leading {@code ~} ({@code ~} or {@code ~/...}) in every path setting of
     * {@code view}, wherever it came from (command line or config file); the context then sees the expanded value.
     */
    static Map<String, String> expandedPaths(Map<String, String> view) {
        Map<String, String> expanded = new LinkedHashMap<>();
        for (SettingsCatalog.Setting s : SettingsCatalog.get().documented()) {
            String value = s.isPath() ? PipelineLauncher.get(view, s.name()) : null;
            if (value != null && !PipelineLauncher.expand(value).equals(value)) {
                expanded.put(s.name(), PipelineLauncher.expand(value));
            }
        }
        return expanded;
    }

    /**
     * The {@code pipeline.*} settings as the context will bind them from {@code view} (the config file's, overridden by
     * the command line's); {@code openprotein.*} is bound too, to check it. Throws {@link FatalException} naming a bad
     * value, where it was given ({@code commandLine} holds the command line's own keys) and, for an enumeration, the
     * allowed values.
     */
    static PipelineProperties bind(Map<String, String> view, Map<String, String> commandLine, String defaultName) {
        Map<String, Object> source = new LinkedHashMap<>(view);
        if (PipelineLauncher.get(view, "pipeline.name") == null) {
            source.put("pipeline.name", defaultName);
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(new MapPropertySource("settings", source)), null,
                ApplicationConversionService.getSharedInstance());
        try {
            binder.bindOrCreate("openprotein", Bindable.of(OpenProteinProperties.class));
            return binder.bindOrCreate("pipeline", Bindable.of(PipelineProperties.class));
        } catch (BindException e) {
            throw new FatalException(describe(e, commandLine), e);
        }
    }

    /** One line for a value that did not bind: the setting, the value, where it was given, why. */
    static String describe(BindException e, Map<String, String> commandLine) {
        Throwable reason = e.getCause();
        while (reason != null && reason.getCause() != null) {
            reason = reason.getCause();
        }
        String why = reason == null || reason.getMessage() == null ? "" : reason.getMessage();
        if (e.getProperty() == null) {
            // the record's own check of the values together (its message names the settings)
            return why.isEmpty() ? String.valueOf(e.getMessage()) : why;
        }
        String name = e.getProperty().getName().toString();
        String where = commandLine != null && PipelineLauncher.get(commandLine, name) != null ? "on the command line"
                : commandLine == null ? String.valueOf(e.getProperty().getOrigin()) : "in the config file";
        List<String> allowed = SettingsCatalog.allowedValues(e.getTarget().getType().resolve());
        if (!allowed.isEmpty()) {
            why = "use one of " + String.join(", ", allowed);
        }
        return "bad value for setting " + name + ": '" + e.getProperty().getValue() + "' (" + where + ")"
                + (why.isEmpty() ? "" : "; " + why);
    }
}
