package io.msabatch.cli;

import io.msabatch.FatalException;
import io.msabatch.job.PipelineConfiguration;
import io.msabatch.input.InputFormat;
import io.msabatch.input.SeedReaders;
import io.msabatch.job.PipelineRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the pipeline's Spring context with the command line's settings (they win over the config file) and
 * hands over to {@link PipelineRunner}. Works out where the run's state lives: {@code pipeline.state-dir}, by
 * default {@code .msa-batch/} beside the output directory, holding the H2 database and the embedded emulator's data.
 */
final class PipelineLauncher {

    private PipelineLauncher() {
    }

    static int run(Map<String, String> properties) {
        try (ConfigurableApplicationContext ctx = start(properties, false)) {
            // (the input was checked before the context started: see derivePaths)
            return ctx.getBean(PipelineRunner.class).run();
        } catch (FatalException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    static int status(Map<String, String> properties) {
        try (ConfigurableApplicationContext ctx = start(properties, true)) {
            return ctx.getBean(PipelineRunner.class).status();
        } catch (FatalException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    private static ConfigurableApplicationContext start(Map<String, String> properties, boolean lazy) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        if (lazy) {
            // status reads the database only: no job, no client, no embedded emulator
            args.add("--spring.main.lazy-initialization=true");
            args.add("--msa-batch.command=status");
        }
        return new SpringApplicationBuilder(PipelineConfiguration.class)
                .web(WebApplicationType.NONE)
                .listeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) e -> {
                    derivePaths(e.getEnvironment());
                    if (!lazy) {
                        checkInput(e.getEnvironment());
                    }
                })
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
    }

    /** Absolute state directory and, unless configured, the H2 database inside it. */
    static void derivePaths(ConfigurableEnvironment env) {
        Path output = Path.of(env.getProperty("pipeline.output", "output/example")).toAbsolutePath().normalize();
        String configured = env.getProperty("pipeline.state-dir");
        Path stateDir = configured == null || configured.isBlank()
                ? output.getParent().resolve(".msa-batch")
                : Path.of(configured).toAbsolutePath().normalize();
        String name = env.getProperty("pipeline.config-name", "example");
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("msa-batch.state-dir", stateDir.toString());
        if (!env.containsProperty("spring.datasource.url")) {
            // WRITE_DELAY=0: a commit reaches the file at once (H2 otherwise buffers ~1 s, which a kill -9 loses);
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the database under a stopping job
            derived.put("spring.datasource.url", "jdbc:h2:file:" + stateDir.resolve(name)
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        }
        env.getPropertySources().addFirst(new MapPropertySource("msa-batch-derived", derived));
    }

    /** An unreadable input stops the run before anything starts (database, emulator, login). */
    static void checkInput(ConfigurableEnvironment env) {
        Path input = Path.of(env.getProperty("pipeline.input", "input/example.fasta")).toAbsolutePath();
        String format = env.getProperty("pipeline.format", "auto").trim().toUpperCase(java.util.Locale.ROOT);
        InputFormat parsed;
        try {
            parsed = InputFormat.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw new FatalException("pipeline.format is '" + format.toLowerCase(java.util.Locale.ROOT)
                    + "'; use auto, fasta or csv");
        }
        SeedReaders.check(input, parsed);
    }

    /** Turns a startup failure into one line: a locked H2 file means another run of this pipeline is alive. */
    private static FatalException translate(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FatalException fatal) {
                return fatal;
            }
            if (c instanceof UnboundConfigurationPropertiesException unbound) {
                return new FatalException("unknown setting " + unbound.getUnboundProperties().stream()
                        .map(p -> p.getName() + " (" + p.getOrigin() + ")").sorted().toList()
                        + "; see jobs-config/example.yml and README for the settings", e);
            }
            if (c instanceof BindException bind && bind.getProperty() != null) {
                Throwable reason = bind.getCause();
                while (reason != null && reason.getCause() != null) {
                    reason = reason.getCause();
                }
                return new FatalException("bad value for setting " + bind.getProperty().getName() + ": '"
                        + bind.getProperty().getValue() + "' (" + bind.getProperty().getOrigin() + ")"
                        + (reason == null ? "" : ": " + reason.getMessage()), e);
            }
            String m = String.valueOf(c.getMessage());
            if (m.contains("90020") || m.contains("Database may be already in use")) {
                return new FatalException("this pipeline is already running in another process (its database is locked: "
                        + m.replaceAll("(?s)\\s*\\[90020.*", "").replaceAll("(?s)\\n.*", "")
                        + "); wait for it to finish or stop it first", e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new FatalException(root.getMessage() == null ? root.toString() : root.getMessage(), e);
    }
}
