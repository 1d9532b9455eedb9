package io.msabatch.cli;

import io.msabatch.api.AuthenticationException;
import io.msabatch.api.OpenProteinSetupException;
import io.msabatch.input.InputFileException;
import io.msabatch.input.SeedReaders;
import io.msabatch.job.DryRun;
import io.msabatch.job.PipelineConfiguration;
import io.msabatch.job.PipelineLock;
import io.msabatch.job.PipelineRunner;
import io.msabatch.run.FatalException;
import io.msabatch.run.PipelineProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the pipeline's Spring context with the command line's settings (they win over the config file) and
 * hands over to {@link PipelineRunner}. Works out where the pipeline's state lives ({@code pipeline.state-dir}, by
 * default {@code .msa-batch/} inside the output folder: the H2 database, the lock, downloads, the embedded
 * emulator's data) and takes the pipeline's lock before anything opens the database.
 */
final class PipelineLauncher {

    /** The pipeline's name when nothing sets {@code pipeline.name}: the config file's (or the input's) name. */
    static final String DEFAULT_NAME = "msa-batch.default-name";
    /** Which command the context serves ({@code status} leaves the job out). */
    static final String COMMAND_KEY = "msa-batch.command";
    private static final Logger log = LoggerFactory.getLogger(PipelineLauncher.class);

    private PipelineLauncher() {
    }

    static int run(Map<String, String> properties) {
        Prepared p = prepare(properties);
        properties = p.properties();
        Map<String, String> view = p.view();
        Paths paths = p.paths();
        checkInput(view, p.settings());
        checkOutput(paths);
        String full = new io.msabatch.run.DiskWatch(List.of(paths.output(), paths.stateDir()),
                p.settings().minFreeSpace().toBytes()).problem();
        if (full != null) {
            throw new FatalException(full);
        }
        if (get(view, "logging.file.name") == null) {
            properties = new LinkedHashMap<>(properties);
            properties.put("logging.file.name", logFile(paths).toString());
        }
        try (PipelineLock lock = PipelineLock.acquire(paths.stateDir(), paths.name());
             ConfigurableApplicationContext ctx = start(properties, paths, false)) {
            return ctx.getBean(PipelineRunner.class).run();
        } catch (FatalException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    static int status(Map<String, String> properties) {
        Prepared p = prepare(properties);
        Paths paths = p.paths();
        Map<String, String> view = p.view();
        String holder = get(view, "spring.datasource.url") == null ? PipelineLock.holder(paths.stateDir(), paths.name())
                : null;
        if (holder != null) {
            // a live run holds its H2 database: show what it last wrote of its progress (every few seconds)
            Path live = paths.stateDir().resolve(paths.name() + ".progress.json");
            System.out.printf("Pipeline '%s' (output %s) is running: %s%n", paths.name(), paths.output(), holder);
            try {
                var node = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(live));
                System.out.printf("  %s%n  (as of %s; records by state: %s)%n", node.path("line").asString(),
                        node.path("at").asString(), node.path("records"));
            } catch (java.io.IOException | RuntimeException e) {
                System.out.println("  (no progress reported yet)");
            }
            return 0;
        }
        if (get(view, "spring.datasource.url") == null && !Files.exists(database(paths))) {
            System.out.printf("Pipeline '%s' (output %s)%nNo runs recorded yet (no state in %s).%n", paths.name(),
                    paths.output(), paths.stateDir());
            return 0;
        }
        try (ConfigurableApplicationContext ctx = start(p.properties(), paths, true)) {
            return ctx.getBean(PipelineRunner.class).status();
        } catch (FatalException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    /**
     * {@code run --dry-run}: reads and checks the input with the run's reader and validator and prints what a run
     * would do, reading the pipeline's database only if it exists (never creating it). No context, no service, no
     * emulator, no lock, nothing written. 0 when every record would be accepted, 3 when some would be rejected.
     */
    static int dryRun(Map<String, String> properties) {
        Prepared p = prepare(properties);
        Paths paths = p.paths();
        Path input = checkInput(p.view(), p.settings());
        DryRun.Report report;
        String url = get(p.view(), "spring.datasource.url");
        if (url == null && !Files.exists(database(paths))) {
            report = DryRun.of(p.settings(), input, null, "no database yet at " + database(paths) + ": nothing to reuse",
                    java.time.Clock.systemUTC());
        } else {
            // read only, and never created: H2 refuses a missing file (IFEXISTS), changes nothing in it
            // (ACCESS_MODE_DATA=r) and writes no trace file beside it (TRACE_LEVEL_FILE=0)
            String jdbc = url != null ? url : "jdbc:h2:file:" + paths.stateDir().resolve(paths.name())
                    + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;TRACE_LEVEL_FILE=0";
            // as the context connects: the configured user and password, else H2's defaults (an empty user)
            String user = Objects.requireNonNullElse(get(p.view(), "spring.datasource.username"), "");
            String password = Objects.requireNonNullElse(get(p.view(), "spring.datasource.password"),
                    Objects.requireNonNullElse(System.getenv("SPRING_DATASOURCE_PASSWORD"), ""));
            org.springframework.jdbc.datasource.SingleConnectionDataSource ds =
                    new org.springframework.jdbc.datasource.SingleConnectionDataSource(jdbc, user, password, true);
            ds.setAutoCommit(true);
            try {
                report = DryRun.of(p.settings(), input, ds, null, java.time.Clock.systemUTC());
            } finally {
                ds.destroy();
            }
        }
        printDryRun(paths, p.settings(), report);
        return report.rejected() == 0 ? io.msabatch.run.ExitCodes.OK : io.msabatch.run.ExitCodes.INCOMPLETE;
    }

    private static void printDryRun(Paths paths, PipelineProperties settings, DryRun.Report r) {
        java.io.PrintStream out = System.out;
        out.printf("msa-batch: dry run of pipeline '%s': nothing sent, written or started%n", paths.name());
        out.printf("  input       %s (%s)%n", r.input(), r.format().name());
        out.printf("  output      %s%n", paths.output());
        out.printf("  records     %,d: %,d accepted, %,d rejected%s%n", r.records(), r.accepted(), r.rejected(),
                r.warned() == 0 ? "" : String.format(" (%,d accepted with a warning)", r.warned()));
        out.printf("  sequences   %,d distinct%n", r.distinct());
        if (r.reusable() == null) {
            out.printf("  reusable    unknown: %s%n", r.ledgerNote());
        } else if (r.ledgerNote() != null) {
            out.printf("  reusable    %,d: %s%n", r.reusable(), r.ledgerNote());
        } else {
            out.printf("  reusable    %,d%s, from runs within pipeline.reuse-max-age=%s%n", r.reusable(),
                    r.inFlight() == 0 ? "" : String.format(" (%,d still in flight: adopted)", r.inFlight()),
                    shortest(settings.reuseMaxAge()));
        }
        out.printf("  to submit   %,d%n", r.toSubmit());
        if (r.rejected() > 0) {
            out.printf("  rejected (%s):%n", r.rejected() > r.firstRejects().size()
                    ? "the first " + r.firstRejects().size() + " of " + String.format("%,d", r.rejected()) : "all");
            for (DryRun.Reject x : r.firstRejects()) {
                out.printf("    line %d, id '%s': %s%n", x.line(), shown(x.id()), x.reason());
            }
        }
    }

    /** A duration in its largest whole unit: {@code 30d}, {@code 12h}, {@code 90s}. */
    static String shortest(java.time.Duration d) {
        for (java.time.temporal.ChronoUnit unit : List.of(java.time.temporal.ChronoUnit.DAYS,
                java.time.temporal.ChronoUnit.HOURS, java.time.temporal.ChronoUnit.MINUTES,
                java.time.temporal.ChronoUnit.SECONDS)) {
            if (!d.isZero() && d.toMillis() % unit.getDuration().toMillis() == 0) {
                return org.springframework.boot.convert.DurationStyle.SIMPLE.print(d, unit);
            }
        }
        return org.springframework.boot.convert.DurationStyle.SIMPLE.print(d);
    }

    /** An id as one short line: control characters as {@code ?}, at most 60 characters. */
    private static String shown(String id) {
        String s = id.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The command line's settings made ready: checked, paths expanded, bound, and the view the launcher reads. */
    record Prepared(Map<String, String> properties, Map<String, String> view, PipelineProperties settings,
                            Paths paths) {
    }

    static Prepared prepare(Map<String, String> commandLine) {
        Map<String, String> file = configFile(commandLine);
        Map<String, String> view = new LinkedHashMap<>(file);
        view.putAll(commandLine);
        Map<String, String> properties = new LinkedHashMap<>(commandLine);
        Map<String, String> expanded = SettingsCheck.expandedPaths(view);
        properties.putAll(expanded);
        view.putAll(expanded);
        Paths paths = Paths.of(view);
        PipelineProperties settings = SettingsCheck.bind(view, commandLine, paths.name());
        return new Prepared(properties, view, settings, paths);
    }

    private static Path database(Paths paths) {
        return paths.stateDir().resolve(paths.name() + ".mv.db");
    }

    /** The pipeline's name, output and state folders, as the command line and config file give them. */
    record Paths(String name, Path output, Path stateDir) {

        static Paths of(Map<String, String> p) {
            String name = get(p, "pipeline.name") != null ? get(p, "pipeline.name") : p.getOrDefault(DEFAULT_NAME, "example");
            String out = get(p, "pipeline.output");
            Path output = Path.of(expand(out == null ? "output/example" : out)).toAbsolutePath().normalize();
            String configured = get(p, "pipeline.state-dir");
            Path state = configured == null || configured.isBlank() ? output.resolve(".msa-batch")
                    : Path.of(expand(configured)).toAbsolutePath().normalize();
            return new Paths(name, output, state);
        }
    }

    /**
     * The config file's settings (flattened YAML: {@code pipeline.max-length} and so on), its unknown names refused;
     * empty when there is no config file.
     */
    static Map<String, String> configFile(Map<String, String> commandLine) {
        Map<String, String> view = new LinkedHashMap<>();
        String config = commandLine.get("spring.config.import");
        if (config != null && config.startsWith("file:")) {
            org.springframework.beans.factory.config.YamlPropertiesFactoryBean yaml =
                    new org.springframework.beans.factory.config.YamlPropertiesFactoryBean();
            yaml.setResources(new org.springframework.core.io.FileSystemResource(config.substring(5)));
            try {
                java.util.Properties p = yaml.getObject();
                if (p != null) {
                    p.forEach((k, v) -> view.put(String.valueOf(k), String.valueOf(v)));
                }
            } catch (RuntimeException e) {
                throw new FatalException("config file " + config.substring(5) + " is not valid YAML: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
            }
            SettingsCheck.configFile(view, Path.of(config.substring(5)));
        }
        return view;
    }

    /** A setting by its canonical name, matched as Spring's relaxed binding does (case, dashes, underscores). */
    static String get(Map<String, String> view, String key) {
        String wanted = relaxed(key);
        String found = null;
        for (Map.Entry<String, String> e : view.entrySet()) {
            if (relaxed(e.getKey()).equals(wanted)) {
                found = e.getValue(); // the last one wins: the command line comes after the file
            }
        }
        return found;
    }

    private static String relaxed(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** {@code ~} and {@code ~/...} are the user's home folder (as a shell would have it). */
    static String expand(String path) {
        if (path.equals("~")) {
            return System.getProperty("user.home");
        }
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static ConfigurableApplicationContext start(Map<String, String> properties, Paths paths, boolean statusOnly) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        if (statusOnly) {
            // status reads the database only: no job, no client, no embedded emulator
            args.add("--spring.main.lazy-initialization=true");
            args.add("--" + COMMAND_KEY + "=status");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("pipeline.name", paths.name());
        return new SpringApplicationBuilder(PipelineConfiguration.class)
                .web(WebApplicationType.NONE)
                .properties(defaults)
                .listeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) e -> {
                    // after Boot's LoggingApplicationListener (ordered; this one is not): logging is configured
                    Warmup.loggingReady();
                    derivePaths(e.getEnvironment(), paths);
                })
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
    }

    /**
     * H2's page cache, in KB: a quarter of the heap, between H2's default of 16 MB and 256 MB. With 16 MB a
     * 20,000-record run's ledger (286 MB on disk) no longer fit and 17% of the run's CPU went to reading pages back
     * from the file (the primary-key and run-state lookups); 64 MB (heap 256 MB) brought that to 11% (README,
     * "Benchmarks"). H2 grows the cache only as pages are read, so a small run's memory is unchanged. Whole
     * megabytes, which is how H2 keeps it.
     */
    static long h2CacheKb(long maxHeapBytes) {
        long quarterMb = maxHeapBytes / 4 / (1024 * 1024);
        return Math.max(16, Math.min(256, quarterMb)) * 1024;
    }

    /** The absolute state folder and, unless configured, the H2 database inside it. */
    static void derivePaths(ConfigurableEnvironment env, Paths paths) {
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put(PipelineProperties.STATE_DIR_KEY, paths.stateDir().toString());
        String url = env.getProperty("spring.datasource.url");
        if (url == null) {
            // H2's default WRITE_DELAY (commits reach the file within 500 ms): the write-ahead intents, which a kill -9
            // must not lose, are made durable by a CHECKPOINT (Ledger.durable); WRITE_DELAY=0 wrote the changed pages
            // at every commit, 14% of a 20,000-record run's CPU.
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the database under a stopping job;
            // QUERY_CACHE_SIZE=0: every statement is planned with the table's current size. A plan cached while the
            // ledger was nearly empty chose an index by the run alone (RUN_ID, STATE) over the primary key, and every
            // later job update scanned the run: 66% of the CPU of a 20,000-record run (README, "Benchmarks").
            derived.put("spring.datasource.url", "jdbc:h2:file:" + paths.stateDir().resolve(paths.name())
                    + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=0;CACHE_SIZE=" + h2CacheKb(Runtime.getRuntime().maxMemory()));
            warnAboutOldState(paths);
        } else if (url.startsWith("jdbc:postgresql:")) {
            // names this process in pg_stat_activity, so a refused second run can say who holds the pipeline
            derived.put("spring.datasource.hikari.data-source-properties.ApplicationName",
                    "msa-batch " + paths.name() + " (process " + ProcessHandle.current().pid() + ")");
        }
        env.getPropertySources().addFirst(new MapPropertySource("msa-batch-derived", derived));
    }

    /** Versions before 0.2 kept the state beside the output folder; say so instead of silently starting afresh. */
    private static void warnAboutOldState(Paths paths) {
        Path parent = paths.output().getParent();
        if (parent == null) {
            return;
        }
        Path old = parent.resolve(".msa-batch").resolve(paths.name() + ".mv.db");
        if (!old.getParent().equals(paths.stateDir()) && Files.exists(old)
                && !Files.exists(paths.stateDir().resolve(paths.name() + ".mv.db"))) {
            log.warn("Found the state of an earlier version at {}; this version keeps it in {}. To go on with the old "
                    + "state, pass --pipeline.state-dir={}", old.getParent(), paths.stateDir(), old.getParent());
        }
    }

    /** An unreadable input stops the run before anything starts (database, emulator, login); returns the input. */
    static Path checkInput(Map<String, String> view, PipelineProperties settings) {
        String in = get(view, "pipeline.input");
        Path input = Path.of(expand(in == null ? "input/example.fasta" : in)).toAbsolutePath();
        SeedReaders.check(input, settings.format());
        return input;
    }

    /** Each execution writes its own log file in the output folder: everything logged, stack traces included. */
    static Path logFile(Paths paths) {
        String stamp = java.time.LocalDateTime.now().withNano(0).toString().replace(":", "");
        return paths.output().resolve("logs").resolve(paths.name() + "-" + stamp + ".log");
    }

    /** An output path that is a file, or a state folder that is a link, stops the run before anything starts. */
    static void checkOutput(Paths paths) {
        if (Files.exists(paths.output()) && !Files.isDirectory(paths.output())) {
            throw new FatalException("output " + paths.output() + " is a file, not a folder; give --output a folder "
                    + "(it is created if missing)");
        }
        for (Path up = paths.output().getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up)) {
                if (!Files.isDirectory(up)) {
                    throw new FatalException("output " + paths.output() + " cannot be created: " + up + " is a file, "
                            + "not a folder; give --output a folder outside it");
                }
                break;
            }
        }
        for (Path link : List.of(paths.output().resolve("logs"), paths.stateDir().resolve(paths.name() + ".mv.db"))) {
            if (Files.isSymbolicLink(link)) {
                throw new FatalException(link + " is a symbolic link; msa-batch writes there, so it must be a real file "
                        + "or folder: remove the link");
            }
        }
        if (Files.isSymbolicLink(paths.stateDir())) {
            throw new FatalException("state folder " + paths.stateDir() + " is a symbolic link; msa-batch writes and "
                    + "deletes there, so it must be a real folder (set pipeline.state-dir to one)");
        }
    }

    /** Turns a startup failure into one line. */
    private static RuntimeException translate(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FatalException fatal) {
                return fatal;
            }
            if (c instanceof InputFileException || c instanceof OpenProteinSetupException
                    || c instanceof AuthenticationException) {
                return new FatalException(c.getMessage(), e);
            }
            if (c instanceof UnboundConfigurationPropertiesException unbound) {
                return new FatalException("unknown setting " + unbound.getUnboundProperties().stream()
                        .map(p -> p.getName() + " (" + p.getOrigin() + ")").sorted().toList()
                        + "; see jobs-config/example.yml and README for the settings", e);
            }
            if (c instanceof BindException bind && bind.getProperty() != null) {
                return new FatalException(SettingsCheck.describe(bind, null), e);
            }
            String m = String.valueOf(c.getMessage());
            if (m.contains("90020") || m.contains("Database may be already in use")) {
                return new FatalException("the pipeline's database is in use by another process: "
                        + m.replaceAll("(?s)\\s*\\[90020.*", "").replaceAll("(?s)\\n.*", ""), e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        io.msabatch.run.Traces.keep("the run failed", e);
        return new FatalException((root.getMessage() == null ? root.toString() : root.getMessage())
                + io.msabatch.run.Traces.where(), e);
    }
}
