package io.msabatch.cli;

import io.msabatch.run.ExitCodes;
import io.msabatch.run.FatalException;
import io.msabatch.emulator.Emulator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code msa-batch} command line. With no command it runs the example pipeline. Unknown {@code --options}
 * are taken as Spring settings, so any documented setting can be given on the command line; a name under a prefix
 * msa-batch owns that no setting has is a bad command line (exit 2), as is an unknown command or option.
 */
@Command(name = "msa-batch", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        subcommands = {Cli.Run.class, Cli.EmulatorCommand.class, Cli.Status.class},
        description = {"Nightly multiple sequence alignments from the OpenProtein.AI API.",
                "Without a command it runs jobs-config/example.yml: the example input against the embedded emulator.",
                "Settings and their defaults: msa-batch run --help. What a run does, its output and its exit codes: "
                        + "README.md, \"Running pipelines\"."})
public final class Cli implements Callable<Integer> {

    /** Returned by a command that started a server: the JVM must stay up. */
    public static final int KEEP_RUNNING = -1;

    static final String DEFAULT_CONFIG = "jobs-config/example.yml";

    @Unmatched
    List<String> settings = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setUnmatchedOptionsArePositionalParams(false);
        section(cl, "exitCodes", HelpText.exitCodesSection());
        CommandLine run = cl.getSubcommands().get("run");
        section(run, "settings", null);
        section(run, "exitCodes", HelpText.exitCodesSection());
        section(cl.getSubcommands().get("emulator"), "settings", null);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageException) {
                cmd.getErr().println("msa-batch: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            if (ex instanceof FatalException || ex instanceof IllegalArgumentException
                    || ex instanceof io.msabatch.input.InputFileException
                    || ex instanceof io.msabatch.api.OpenProteinSetupException
                    || ex instanceof io.msabatch.api.AuthenticationException) {
                cmd.getErr().println("msa-batch: " + ex.getMessage());
                return ExitCodes.FATAL;
            }
            io.msabatch.run.Traces.keep("unexpected error", ex);
            cmd.getErr().println("msa-batch: unexpected error: " + ex + io.msabatch.run.Traces.where()
                    + "; please report it");
            return ExitCodes.FATAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("msa-batch: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    /**
     * Adds a made section to a command's help, just before its footer: the exit codes as given, or ({@code text} null)
     * the settings its command reads, listed only when the help is printed.
     */
    private static void section(CommandLine cl, String key, String text) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), key);
        usage.sectionKeys(keys);
        boolean emulator = cl.getCommandName().equals("emulator");
        usage.sectionMap().put(key, help -> System.lineSeparator() + (text != null ? text : emulator
                ? HelpText.settingsSection(List.of("emulator."), false, "Also: README.md, \"The emulator\".")
                : HelpText.settingsSection(List.of("pipeline.", "openprotein.", "emulator."), true,
                        "The database: spring.datasource.url, username and password (default: an H2 file in the "
                                + "state folder). Also: README.md, \"Running pipelines\" and \"The OpenProtein "
                                + "client\"; jobs-config/example.yml.")));
    }

    @Override
    public Integer call() {
        if (!settings.isEmpty() && !settings.get(0).startsWith("-")) {
            String command = settings.get(0);
            throw new UsageException("unknown command '" + command + "'" + SettingsCatalog.closest(command,
                    List.copyOf(spec.subcommands().keySet())).map(c -> "; did you mean " + c + "?").orElse("")
                    + " (commands: run, status, emulator; see msa-batch --help)");
        }
        return new Run().runPipeline(DEFAULT_CONFIG, null, null, null, false, Settings.parse(settings, List.of()));
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            header = "Runs a pipeline, or with --dry-run shows what it would do.",
            description = {"Reads the input, submits one MSA job per distinct sequence, waits, and writes one "
                    + "alignment file per record and report.csv. Running the same command again resumes an "
                    + "interrupted run.",
                    "Any setting below can be given as --<setting>=<value> or --<setting> <value>, for example "
                            + "--openprotein.base-url=https://api.openprotein.ai"})
    static final class Run implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "Pipeline YAML (default: ${DEFAULT-VALUE}).",
                defaultValue = DEFAULT_CONFIG)
        String config;

        @Option(names = "--input", paramLabel = "FILE", description = "Input FASTA or CSV; overrides the config.")
        String input;

        @Option(names = "--output", paramLabel = "DIR", description = {"Output directory; overrides the config",
                "(with --input alone: output/<input name>)."})
        String output;

        @Option(names = "--name", paramLabel = "NAME", description = {"Pipeline name (default: the config file's name,",
                "or the input's with --input alone)."})
        String name;

        @Option(names = "--dry-run", description = "Reads and checks the input and prints what a run would do "
                + "(records accepted and rejected, distinct sequences, reusable from earlier runs, to submit); "
                + "contacts no service, starts no emulator, writes nothing. Exit code 0, or 3 if some records would "
                + "be rejected.")
        boolean dryRun;

        @Unmatched
        List<String> settings = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return runPipeline(config, input, output, name, dryRun, Settings.parse(settings, optionNames(spec)));
        }

        int runPipeline(String config, String input, String output, String name, boolean dryRun,
                        Map<String, String> parsed) {
            if (!dryRun) {
                Warmup.start();
            }
            Map<String, String> props = new LinkedHashMap<>(configProperties(config));
            props.putAll(parsed);
            pipelineOptions(props, input, output, name);
            return dryRun ? PipelineLauncher.dryRun(props) : PipelineLauncher.run(props);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            header = "Shows a pipeline's latest runs and their records by state.",
            description = "Reads the pipeline's database only (nothing is started or sent).")
    static final class Status implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "Pipeline YAML (default: ${DEFAULT-VALUE}).",
                defaultValue = DEFAULT_CONFIG)
        String config;

        @Option(names = "--input", paramLabel = "FILE", description = "Input, as given to run (names the pipeline).")
        String input;

        @Option(names = "--output", paramLabel = "DIR", description = "Output directory; overrides the config.")
        String output;

        @Option(names = "--name", paramLabel = "NAME", description = "Pipeline name, as given to run.")
        String name;

        @Unmatched
        List<String> settings = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> props = new LinkedHashMap<>(configProperties(config));
            props.putAll(Settings.parse(settings, optionNames(spec)));
            pipelineOptions(props, input, output, name);
            return PipelineLauncher.status(props);
        }
    }

    @Command(name = "emulator", mixinStandardHelpOptions = true,
            header = "Serves the OpenProtein-compatible emulator until stopped.",
            description = {"Auth, the jobs list and MSA jobs, as the service answers them. Settings are given as "
                    + "--emulator.<name>=<value>, for example:",
                    "  --emulator.users=alice:secret --emulator.job-duration=1s-5s",
                    "  --emulator.faults.http-429=0.1"})
    static final class EmulatorCommand implements Callable<Integer> {

        @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).",
                defaultValue = "8080")
        int port;

        @Option(names = "--address", description = "Address to listen on (default: ${DEFAULT-VALUE}).",
                defaultValue = "127.0.0.1")
        String address;

        @Unmatched
        List<String> settings = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> props = new LinkedHashMap<>(Settings.parse(settings, optionNames(spec)));
            props.putAll(SettingsCheck.expandedPaths(props));
            props.put("server.port", Integer.toString(port));
            props.put("server.address", address);
            Emulator.RunningEmulator emulator = Emulator.start(props);
            System.out.println("OpenProtein emulator listening on " + emulator.baseUrl() + " (Ctrl-C to stop)");
            return KEEP_RUNNING;
        }
    }

    /** A command's long option names, for "did you mean" on a mistyped one. */
    private static List<String> optionNames(CommandSpec spec) {
        return spec.options().stream().map(CommandLine.Model.OptionSpec::longestName).filter(n -> n.startsWith("--"))
                .toList();
    }

    /**
     * {@code --input}, {@code --output} and {@code --name} as settings. {@code --input} without {@code --output} is a
     * pipeline of its own: output {@code output/<input name>}, named after the input (unless {@code --name}), so it
     * never writes into another pipeline's folder.
     */
    static void pipelineOptions(Map<String, String> props, String input, String output, String name) {
        if (input != null) {
            props.put("pipeline.input", input);
            if (output == null) {
                String stem = stemOf(Path.of(input));
                props.put("pipeline.output", "output/" + stem);
                props.put(PipelineLauncher.DEFAULT_NAME, stem);
            }
        }
        if (output != null) {
            props.put("pipeline.output", output);
        }
        if (name != null) {
            props.put("pipeline.name", name);
        }
    }

    /** {@code seeds.fasta.gz} → {@code seeds}; characters a pipeline name may not hold become {@code _}. */
    static String stemOf(Path input) {
        String file = String.valueOf(input.getFileName());
        if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
            file = file.substring(0, file.length() - 3);
        }
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        stem = stem.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._-]+", "");
        return stem.isEmpty() ? "input" : stem.length() > 100 ? stem.substring(0, 100) : stem;
    }

    /** The config file becomes a Spring config location; command-line settings still win over it. */
    static Map<String, String> configProperties(String config) {
        Path path = Path.of(config);
        if (!Files.isRegularFile(path)) {
            throw new FatalException("config file " + path.toAbsolutePath() + " not found; pass --config=jobs-config/<name>.yml"
                    + " (run from the project folder, or give an absolute path)");
        }
        return Map.of("spring.config.import", "file:" + path.toAbsolutePath(), PipelineLauncher.DEFAULT_NAME, nameOf(path));
    }

    private static String nameOf(Path config) {
        String file = config.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"msa-batch " + (v == null ? "dev" : v)};
        }
    }
}
