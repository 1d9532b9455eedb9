package io.msabatch.cli;

import io.msabatch.FatalException;
import io.msabatch.job.PipelineConfiguration;
import io.msabatch.job.PipelineRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
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
                .listeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) e -> derivePaths(e.getEnvironment()))
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

    /** Turns a startup failure into one line: a locked H2 file means another run of this pipeline is alive. */
    private static FatalException translate(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FatalException fatal) {
                return fatal;
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
