package io.msabatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msabatch.api.OpenProteinProperties;
import io.msabatch.emulator.EmulatorSettings;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.MsaFiles;
import io.msabatch.run.ExitCodes;
import io.msabatch.run.PipelineProperties;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class CliTests {

    @TempDir
    Path dir;

    // ---- parsing and exit codes --------------------------------------------------------------------------------

    @Test
    void acceptsBothSettingFormsAndBareFlags() {
        // when
        var settings = Settings.parse(List.of("--pipeline.max-length=500", "--openprotein.read-timeout", "2m",
                "--emulator.faults.http-429", "--pipeline.format", "csv"));

        // then
        assertThat(settings).containsEntry("pipeline.max-length", "500").containsEntry("openprotein.read-timeout", "2m")
                .containsEntry("emulator.faults.http-429", "true").containsEntry("pipeline.format", "csv");
    }

    @Test
    void refusesAnUnknownOptionInsteadOfIgnoringIt() {
        assertThatThrownBy(() -> Settings.parse(List.of("--inptu=x.fasta"), List.of("--input", "--output")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--inptu").hasMessageContaining("--input?");
        assertThatThrownBy(() -> Settings.parse(List.of("stray")))
                .isInstanceOf(UsageException.class).hasMessageContaining("stray");
    }

    @Test
    void anUnknownOptionIsExitCodeTwoOnOneLineWithWhatWasMeant() {
        // when
        CliRun typo = run("run", "--inptu=seeds.fasta");
        CliRun bare = run("run", "--max-in-flight=5");
        CliRun stray = run("run", "seeds.fasta");

        // then
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err().strip().lines()).hasSize(1);
        assertThat(typo.err()).contains("unknown option --inptu").contains("did you mean --input?");
        assertThat(bare.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bare.err()).contains("did you mean --pipeline.max-in-flight?");
        assertThat(stray.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(stray.err()).contains("'seeds.fasta'");
    }

    @Test
    void anUnknownCommandOrAMissingValueIsExitCodeTwo() {
        // when
        CliRun command = run("rnu", "--config=x");
        CliRun missing = run("run", "--config");

        // then
        assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(command.err()).contains("unknown command 'rnu'").contains("did you mean run?");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aMissingConfigFileIsOneLineAndExitCodeOne() {
        // when
        CliRun r = run("run", "--config=jobs-config/nope.yml");

        // then
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("nope.yml").contains("--config");
    }

    // ---- unknown setting names and bad values --------------------------------------------------------------------

    @Test
    void aMistypedSettingOnTheCommandLineIsRefusedUnderEveryPrefixWithTheClosestName() {
        // when: --dry-run, so that a setting let through would show as exit 0 instead of a refusal
        Map<String, String> expected = Map.of(
                "--openprotein.read-timout=2m", "did you mean --openprotein.read-timeout?",
                "--pipeline.max-lenght=50", "did you mean --pipeline.max-length?",
                "--emulator.job-duraton=1s", "did you mean --emulator.job-duration?",
                "--openprotein.retry.max-atempts=3", "did you mean --openprotein.retry.max-attempts?");
        expected.forEach((arg, suggestion) -> {
            CliRun r = run("run", "--dry-run", arg);

            // then
            assertThat(r.code()).as(arg).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).as(arg).hasSize(1);
            assertThat(r.err()).as(arg).contains("unknown setting " + arg.substring(0, arg.indexOf('=')))
                    .contains(suggestion);
        });
        assertThat(run("run", "--dry-run", "--msa-batch.colour=red").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--dry-run", "--pipeline.zzzzzz=1").err()).doesNotContain("did you mean");
    }

    @Test
    void aMistypedSettingInTheConfigFileIsRefusedNamingItAndTheFile() throws Exception {
        // given
        Path config = Files.writeString(dir.resolve("typo.yml"), """
                pipeline:
                  input: input/example.fasta
                openprotein:
                  read-timout: 2m
                emulator:
                  job-duration: 1s
                """);
        Path emulatorTypo = Files.writeString(dir.resolve("emulator-typo.yml"), "emulator:\n  max-running-jobs: 5\n");

        // when
        CliRun r = run("run", "--dry-run", "--config=" + config);
        CliRun e = run("run", "--dry-run", "--config=" + emulatorTypo);

        // then
        assertThat(r.code()).isEqualTo(ExitCodes.FATAL);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("unknown setting openprotein.read-timout")
                .contains("did you mean openprotein.read-timeout?").contains("typo.yml");
        assertThat(e.code()).isEqualTo(ExitCodes.FATAL);
        assertThat(e.err()).contains("emulator.max-running-jobs").contains("emulator-typo.yml");
    }

    @Test
    void aBadValueOfAnEnumerationNamesTheAllowedValuesOnOneLine() throws Exception {
        // given
        Path config = Files.writeString(dir.resolve("paths.yml"), "openprotein:\n  paths: v2\n");

        // when
        CliRun format = run("run", "--dry-run", "--pipeline.format=xml");
        CliRun output = run("run", "--dry-run", "--pipeline.output-format", "stockholm2");
        CliRun paths = run("run", "--dry-run", "--config=" + config);

        // then
        for (CliRun r : List.of(format, output, paths)) {
            assertThat(r.code()).isEqualTo(ExitCodes.FATAL);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(format.err()).contains("pipeline.format").contains("'xml'").contains("on the command line")
                .contains("use one of fasta, csv, auto");
        assertThat(output.err()).contains("pipeline.output-format").contains("use one of a3m, fasta, stockholm");
        assertThat(paths.err()).contains("openprotein.paths").contains("'v2'").contains("in the config file")
                .contains("use one of current, poet");
    }

    // ---- ~ in paths ----------------------------------------------------------------------------------------------

    @Test
    void aLeadingTildeIsTheHomeFolderInEveryPathSettingOnTheCommandLineAndInTheConfigFile() throws Exception {
        // given
        Path config = Files.writeString(dir.resolve("home.yml"), """
                pipeline:
                  input: ~/seeds.fasta
                  output: ~/out
                openprotein:
                  credentials-file: ~/.openprotein
                """);
        Map<String, String> commandLine = new java.util.LinkedHashMap<>(Cli.configProperties(config.toString()));
        commandLine.putAll(Settings.parse(List.of("--pipeline.state-dir=~/state", "--emulator.data-dir", "~")));
        String home = System.getProperty("user.home");

        // when
        PipelineLauncher.Prepared p = PipelineLauncher.prepare(commandLine);

        // then: what the context is given, and what the launcher itself uses
        assertThat(p.properties()).containsEntry("pipeline.input", home + "/seeds.fasta")
                .containsEntry("pipeline.output", home + "/out")
                .containsEntry("openprotein.credentials-file", home + "/.openprotein")
                .containsEntry("pipeline.state-dir", home + "/state")
                .containsEntry("emulator.data-dir", home);
        assertThat(p.paths().output()).isEqualTo(Path.of(home, "out"));
        assertThat(p.paths().stateDir()).isEqualTo(Path.of(home, "state"));
        assertThat(p.settings().input()).isEqualTo(Path.of(home, "seeds.fasta"));
    }

    // ---- the embedded database ---------------------------------------------------------------------------------

    @Test
    void theDerivedH2DatabaseGetsAPageCacheSizedByTheHeap() throws Exception {
        // given: a run with no datasource configured
        var env = new StandardEnvironment();
        var paths = new PipelineLauncher.Paths("nightly", dir.resolve("out"), dir.resolve("state"));

        // when
        PipelineLauncher.derivePaths(env, paths);

        // then: H2 opens the derived URL with that cache, and the cache stays between 16 and 256 MB
        String url = env.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:h2:file:" + dir.resolve("state").resolve("nightly"));
        var ds = new JdbcDataSource();
        ds.setURL(url);
        try (var c = ds.getConnection(); var s = c.createStatement();
                var r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            assertThat(r.next()).isTrue();
            assertThat(Long.parseLong(r.getString(1)) * 1024)
                    .isEqualTo(PipelineLauncher.h2CacheKb(Runtime.getRuntime().maxMemory()));
            s.execute("SHUTDOWN");
        }
        assertThat(PipelineLauncher.h2CacheKb(64L << 20)).isEqualTo(16 * 1024);
        assertThat(PipelineLauncher.h2CacheKb(256L << 20)).isEqualTo(64 * 1024);
        assertThat(PipelineLauncher.h2CacheKb(8L << 30)).isEqualTo(256 * 1024);
        assertThat(PipelineLauncher.h2CacheKb((1000L << 20) - 12_345)).isEqualTo(249 * 1024);
    }

    // ---- help ----------------------------------------------------------------------------------------------------

    @Test
    void everyHelpFitsEightyColumnsAndEveryCommandSummaryIsAWholeSentence() {
        // when
        List<CliRun> helps = List.of(run("--help"), run("run", "--help"), run("status", "--help"),
                run("emulator", "--help"));

        // then
        for (CliRun h : helps) {
            assertThat(h.code()).isZero();
            assertThat(h.out().lines().filter(l -> l.length() > HelpText.WIDTH)).as(h.out()).isEmpty();
            // a line cut inside a word at its dot ("e." / "g.", "--emulator." / "job-duration")
            assertThat(h.out()).doesNotContainPattern("(?m)[A-Za-z]\\.\\R[a-z]");
        }
        assertThat(helps.get(1).out()).contains("--openprotein.base-url=https://api.openprotein.ai");
        assertThat(helps.get(3).out()).contains("--emulator.job-duration=1s-5s");
        String top = helps.get(0).out();
        List<String> commands = top.lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                .takeWhile(l -> !l.isBlank()).toList();
        assertThat(commands).hasSize(3).allSatisfy(l -> assertThat(l).matches("  (run|status|emulator) +[A-Z].*\\."));
    }

    @Test
    void helpListsExactlyTheExitCodesOfTheReadme() throws Exception {
        // given
        Set<Integer> readme = readmeExitCodes();
        Set<Integer> constants = new TreeSet<>();
        for (var f : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                constants.add(f.getInt(null));
            }
        }

        // when
        String help = run("--help").out();
        String runHelp = run("run", "--help").out();

        // then
        assertThat(readme).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 130, 143).containsAll(constants);
        assertThat(HelpText.EXIT_CODES.keySet()).containsExactlyInAnyOrderElementsOf(readme);
        for (int code : readme) {
            assertThat(help).containsPattern("(?m)^  " + code + " +[a-z]");
            assertThat(runHelp).containsPattern("(?m)^  " + code + " +[a-z]");
        }
    }

    @Test
    void everyReadmeSectionTheHelpNamesExists() throws Exception {
        // given
        String readme = Files.readString(Path.of("README.md"));
        Set<String> headings = readme.lines().filter(l -> l.startsWith("#")).map(l -> l.replaceFirst("^#+ ", ""))
                .collect(Collectors.toSet());

        // when
        Set<String> named = new LinkedHashSet<>();
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"run", "--help"},
                new String[] {"status", "--help"}, new String[] {"emulator", "--help"})) {
            String help = run(args).out().replaceAll("\\s+", " ");
            Matcher m = Pattern.compile("README(?:\\.md)?,? ((?:\"[^\"]+\"(?:, | and )?)+)").matcher(help);
            while (m.find()) {
                Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
                while (q.find()) {
                    named.add(q.group(1));
                }
            }
            assertThat(help).doesNotContainPattern("README(?:\\.md)?,? [^\"]");
        }

        // then
        assertThat(named).contains("Running pipelines", "The emulator", "The OpenProtein client");
        assertThat(headings).containsAll(named);
    }

    @Test
    void runHelpListsEverySettingWithTheDefaultItsRecordDeclares() throws Exception {
        // when
        String help = run("run", "--help").out();

        // then: every component of the settings records, with its @DefaultValue, from the generated metadata
        assertSettingsListed(help, "pipeline.", PipelineProperties.class);
        assertSettingsListed(help, "openprotein.", OpenProteinProperties.class);
        for (EmulatorSettings.Setting s : EmulatorSettings.SETTINGS) {
            assertThat(help).contains("  " + s.name() + " [" + (s.defaultValue().isEmpty() ? "empty" : s.defaultValue())
                    + "]");
        }
        assertThat(help).contains("  pipeline.format [auto] {fasta, csv, auto}")
                .contains("  pipeline.output-format [a3m] {a3m, fasta, stockholm}")
                .contains("  openprotein.paths [current] {current, poet}")
                .contains("  pipeline.state-dir [none]")
                .contains("      longest accepted sequence, in residues");
        assertThat(help).doesNotContain("msa-batch.default-name").doesNotContain("{@code");
    }

    @Test
    void emulatorHelpListsTheEmulatorSettingsOnly() {
        // when
        String help = run("emulator", "--help").out();

        // then
        assertThat(help).contains("--port").contains("  emulator.job-duration [2s]")
                .contains("  emulator.faults.routes [empty]").doesNotContain("pipeline.max-length");
    }

    private static void assertSettingsListed(String help, String prefix, Class<?> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        // @DefaultValue is a parameter annotation: it sits on the canonical constructor's parameters
        Parameter[] parameters = record.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                .toArray(Class<?>[]::new)).getParameters();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String name = prefix + kebab(c.getName());
            if (c.getType().isRecord()) {
                assertSettingsListed(help, name + ".", c.getType());
                continue;
            }
            DefaultValue d = parameters[i].getAnnotation(DefaultValue.class);
            String shown = d == null ? "none" : d.value().length == 0 || d.value()[0].isEmpty() ? "empty" : d.value()[0];
            assertThat(help).as(name).contains("  " + name + " [" + shown + "]");
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Set<Integer> readmeExitCodes() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("### Exit codes");
        assertThat(start).as("README has an 'Exit codes' section").isPositive();
        Set<Integer> codes = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            Matcher m = Pattern.compile("^\\| (\\d+) \\|").matcher(line);
            if (m.find()) {
                codes.add(Integer.parseInt(m.group(1)));
            }
        }
        return codes;
    }

    // ---- run --dry-run -------------------------------------------------------------------------------------------

    @Test
    void aDryRunCountsWhatARunWouldDoAndChangesNothing() throws Exception {
        // given: a duplicate sequence under another id, a bad letter, an id reused for another sequence, an empty one
        Path input = Files.writeString(dir.resolve("seeds.fasta"), """
                >a
                MKTAYIAKQRQISFVKSHFSRQ
                >b
                MKT1AYIAK
                >c
                MKTAYIAKQRQISFVKSHFSRQ
                >a
                MSLREKYKAHVEDHDYPKKGG
                >d
                >e
                MSLREKYKAHVEDHDYPKKGG
                """);
        Path output = dir.resolve("out");

        // when
        CliRun r = run("run", "--dry-run", "--input=" + input, "--output=" + output);

        // then
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.out()).contains("dry run of pipeline 'example'")
                .containsPattern("records +6: 3 accepted, 3 rejected")
                .containsPattern("sequences +2 distinct")
                .containsPattern("reusable +0: no database yet")
                .containsPattern("to submit +2")
                .contains("line 3, id 'b': letters not allowed in a protein sequence: '1' at position 4")
                .contains("line 7, id 'a': id 'a' was already used on line 1 for a different sequence")
                .contains("line 9, id 'd': empty sequence");
        assertThat(output).doesNotExist();
    }

    @Test
    void aDryRunOfAGoodInputIsExitCodeZero() {
        // when
        CliRun r = run("run", "--dry-run", "--input=input/example.fasta", "--output=" + dir.resolve("out"));

        // then
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("records +24: 24 accepted, 0 rejected").containsPattern("to submit +24");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aDryRunCountsWhatAnEarlierRunComputedAsReusableReadingTheDatabaseOnly() throws Exception {
        // given: the pipeline's database, where an earlier run computed one of the two sequences
        Path state = dir.resolve("state");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + state.resolve("nightly"));
        Flyway.configure().dataSource(ds).locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2")
                .load().migrate();
        Ledger ledger = new Ledger(ds, new DataSourceTransactionManager(ds), Clock.systemUTC());
        ledger.ensureRun(1, "nightly", "2026-11-30", dir.resolve("old").toString(), "old.fasta", "0".repeat(64));
        String hash = MsaFiles.sha256("MKTAYIAKQRQISFVKSHFSRQ");
        ledger.run(1).intend(List.of(new RunLedger.Intent(hash, "MKTAYIAKQRQISFVKSHFSRQ", null)), Instant.now());
        ledger.run(1).submitted(List.of(new RunLedger.Answer(hash, "job-1", "SUCCESS", true, Instant.now())));
        Path db = state.resolve("nightly.mv.db");
        byte[] before = Files.readAllBytes(db);
        Files.deleteIfExists(state.resolve("nightly.trace.db")); // H2's warnings about Flyway's setup, if any
        Path input = Files.writeString(dir.resolve("seeds.fasta"), ">x\nmktayiakqrqisfvkshfsrq\n>y\nMSLREKYKAHVEDHDYPKKGG\n");

        // when
        CliRun r = run("run", "--dry-run", "--input=" + input, "--output=" + dir.resolve("out"), "--name=nightly",
                "--pipeline.state-dir=" + state, "--pipeline.reuse-max-age=7d");
        CliRun off = run("run", "--dry-run", "--input=" + input, "--output=" + dir.resolve("out"), "--name=nightly",
                "--pipeline.state-dir=" + state, "--pipeline.reuse-max-age=0");

        // then
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("reusable +1, from runs within pipeline.reuse-max-age=7d")
                .containsPattern("to submit +1");
        assertThat(off.out()).containsPattern("reusable +0: reuse is off").containsPattern("to submit +2");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(Files.list(state).map(p -> p.getFileName().toString()).toList()).containsExactly("nightly.mv.db");
    }

    @Test
    void aDryRunOfAnUnreadableInputIsExitCodeOne() {
        // when
        CliRun r = run("run", "--dry-run", "--input=" + dir.resolve("nope.fasta"), "--output=" + dir.resolve("out"));

        // then
        assertThat(r.code()).isEqualTo(ExitCodes.FATAL);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("nope.fasta");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
