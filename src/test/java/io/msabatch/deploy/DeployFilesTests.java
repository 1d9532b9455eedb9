package io.msabatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.msabatch.api.OpenProteinProperties;
import io.msabatch.run.PipelineProperties;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The scheduler files under {@code deploy/}: the systemd units pass {@code systemd-analyze verify}, and each
 * scheduler keeps the properties the pipeline relies on (one run at a time, a graceful stop, credentials from
 * outside the file, retries only where a re-run can heal, a heap that fits the memory limit).
 */
class DeployFilesTests {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path SERVICE = DEPLOY.resolve("systemd/msa-batch@.service");
    private static final Path TIMER = DEPLOY.resolve("systemd/msa-batch@.timer");
    private static final Path CRONTAB = DEPLOY.resolve("cron/msa-batch.crontab");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");

    /** The app finishes its chunk and exits within 60 s of SIGTERM; the scheduler must wait longer than that. */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(90);
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|USERNAME).*");
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");

    // --- systemd -------------------------------------------------------------------------------------------

    @Test
    void systemdUnitsPassSystemdAnalyzeVerify(@TempDir Path tmp) throws Exception {
        // given: an instance of each template, ExecStart pointing at this JVM (verify refuses a missing binary)
        Path tool = onPath("systemd-analyze");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String service = Files.readString(SERVICE);
        assertThat(service).contains("ExecStart=/usr/bin/java ");
        Files.writeString(tmp.resolve("msa-batch@verify.service"), service.replace("ExecStart=/usr/bin/java ",
                "ExecStart=" + java + " "));
        Files.copy(TIMER, tmp.resolve("msa-batch@verify.timer"));

        // when
        Result verify = exec(tmp, Map.of(), tool.toString(), "verify", "--man=no",
                "msa-batch@verify.service", "msa-batch@verify.timer");

        // then: verify exits 0 even for unknown keys and bad values, so any output is a finding too
        assertThat(verify.code()).as(verify.output()).isZero();
        assertThat(verify.output()).isEmpty();
    }

    @Test
    void timerFiresOncePerNight() throws Exception {
        // given
        Path tool = onPath("systemd-analyze");
        Map<String, List<String>> timer = unit(TIMER).get("Timer");
        assertThat(timer.get("OnCalendar")).hasSize(1);

        // when
        Result calendar = exec(Path.of("."), Map.of("TZ", "UTC"), tool.toString(), "calendar", "--iterations=3",
                timer.get("OnCalendar").get(0));

        // then
        assertThat(calendar.code()).as(calendar.output()).isZero();
        Matcher m = Pattern.compile("(?m)^\\s*(?:Next elapse|Iter\\. #\\d+): \\w+ (\\S+ \\S+) UTC$")
                .matcher(calendar.output());
        List<LocalDateTime> elapses = new ArrayList<>();
        while (m.find()) {
            elapses.add(LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        }
        assertThat(elapses).as(calendar.output()).hasSize(3);
        assertThat(Duration.between(elapses.get(0), elapses.get(1))).isEqualTo(Duration.ofDays(1));
        assertThat(Duration.between(elapses.get(1), elapses.get(2))).isEqualTo(Duration.ofDays(1));
        assertThat(elapses.get(0).getHour()).as("starts at night").isLessThan(6);
        assertThat(timer.get("Persistent")).containsExactly("true");
        assertThat(timer).containsKey("RandomizedDelaySec");
    }

    @Test
    void serviceTreatsACompletedRunAsSuccessAndRetriesOnlyWhatARerunCanHeal() throws IOException {
        // given
        Map<String, List<String>> service = unit(SERVICE).get("Service");

        // then: 3 (completed, some records lack files) is done; 143 (stopped) is not; 2 never heals by itself
        assertThat(service.get("Type")).containsExactly("oneshot");
        assertThat(words(service.get("SuccessExitStatus"))).contains("3").doesNotContain("143", "1", "4");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(words(service.get("RestartPreventExitStatus"))).contains("2");
        assertThat(seconds(service.get("RestartSec").get(0))).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(unit(SERVICE).get("Unit")).containsKeys("StartLimitIntervalSec", "StartLimitBurst");
    }

    @Test
    void serviceWaitsForTheGracefulStopBeforeKilling() throws IOException {
        // given
        Map<String, List<String>> service = unit(SERVICE).get("Service");

        // then: SIGTERM reaches the JVM, SIGKILL only after the app's own 60 s stop
        assertThat(seconds(service.get("TimeoutStopSec").get(0))).isGreaterThanOrEqualTo(GRACEFUL_STOP);
        assertThat(service.get("KillMode")).containsAnyOf("mixed", "control-group");
        assertThat(service.getOrDefault("KillSignal", List.of("SIGTERM"))).containsExactly("SIGTERM");
    }

    @Test
    void serviceKeepsCredentialsOutOfTheUnit() throws IOException {
        // given
        Map<String, List<String>> service = unit(SERVICE).get("Service");

        // then
        assertThat(service.get("EnvironmentFile")).isNotEmpty();
        for (String assignment : service.getOrDefault("Environment", List.of())) {
            assertThat(assignment.split("=", 2)[0]).as(assignment).doesNotMatch(SECRET_NAME);
        }
        assertThat(service.get("ExecStart").get(0)).doesNotContainIgnoringCase("password");
    }

    @Test
    void serviceCanWriteOnlyWhereItWorks() throws IOException {
        // given
        Map<String, List<String>> service = unit(SERVICE).get("Service");

        // then: under ProtectSystem=strict the working directory (relative output and state) must be writable
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        assertThat(service.get("User")).isNotEmpty().doesNotContain("root");
        List<Path> writable = new ArrayList<>();
        words(service.get("StateDirectory")).forEach(d -> writable.add(Path.of("/var/lib", d)));
        words(service.get("ReadWritePaths")).forEach(d -> writable.add(Path.of(d.replaceFirst("^-", ""))));
        Path workingDirectory = Path.of(service.get("WorkingDirectory").get(0));
        assertThat(writable).anySatisfy(w -> assertThat(workingDirectory).startsWithRaw(w));
        // the JIT writes code into memory it then executes
        assertThat(service.getOrDefault("MemoryDenyWriteExecute", List.of("no"))).containsExactly("no");
    }

    @Test
    void serviceHeapFitsItsMemoryLimit() throws IOException {
        // given
        Map<String, List<String>> service = unit(SERVICE).get("Service");
        String javaOpts = service.get("Environment").stream().filter(e -> e.startsWith("JAVA_OPTS="))
                .findFirst().orElseThrow();
        assertThat(service.get("ExecStart").get(0)).contains("$JAVA_OPTS");

        // then
        assertHeapFits(javaOpts, bytes(service.get("MemoryMax").get(0), 1024));
    }

    // --- cron ----------------------------------------------------------------------------------------------

    @Test
    void crontabRunsOneEntryUnderFlockWithItsOutputInALogFile() throws IOException {
        // given
        List<String> entries = cronEntries();

        // then
        assertThat(entries).hasSize(1);
        String[] fields = entries.get(0).split("\\s+", 6);
        assertThat(fields).hasSize(6);
        String command = fields[5];
        assertThat(command).contains("flock -n ").contains(" run --config=").containsPattern(">>\\s*/\\S+\\.log 2>&1")
                .doesNotContain("%");
        assertThat(command.indexOf("flock")).isLessThan(command.indexOf("java"));
        assertThat(Files.readAllLines(CRONTAB)).noneMatch(l -> l.matches("\\s*[A-Za-z_][A-Za-z0-9_]*=.*")
                && SECRET_NAME.matcher(l.split("=", 2)[0]).matches());
    }

    @Test
    void crontabCommandHandsTheEnvFileToTheRunAndLogsItsExitCode(@TempDir Path tmp) throws Exception {
        // given: the real command line, its folders moved under tmp, a stand-in java that records what it got
        Layout layout = Layout.in(tmp);
        Files.writeString(layout.etc.resolve("msa-batch.env"),
                "OPENPROTEIN_USERNAME='demo user'\nOPENPROTEIN_PASSWORD='p@ss word'\n");

        // when
        Result run = exec(tmp, Map.of("PATH", layout.bin + File.pathSeparator + "/usr/bin:/bin"), "/bin/sh", "-c",
                layout.command());

        // then
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(Files.readAllLines(layout.work.resolve("java-args")))
                .containsExactly("-Xmx512m", "-jar", layout.opt.resolve("msa-batch.jar").toString(), "run",
                        "--config=" + layout.etc.resolve("nightly.yml"));
        assertThat(Files.readString(layout.work.resolve("java-env"))).isEqualTo("demo user|p@ss word\n");
        assertThat(Files.readString(layout.log.resolve("nightly.log")))
                .contains("java stand-in ran").endsWith("msa-batch nightly: exit 3\n");
    }

    @Test
    void crontabCommandSkipsAStartWhileThePreviousRunHoldsTheLock(@TempDir Path tmp) throws Exception {
        // given: another run holds the lock
        Layout layout = Layout.in(tmp);
        Files.writeString(layout.etc.resolve("msa-batch.env"), "OPENPROTEIN_USERNAME='demo'\n");
        Process holder = new ProcessBuilder(onPath("flock").toString(), layout.work.resolve("nightly.lock").toString(),
                "-c", "echo locked; exec sleep 60").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            // when
            Result run = exec(tmp, Map.of("PATH", layout.bin + File.pathSeparator + "/usr/bin:/bin"), "/bin/sh",
                    "-c", layout.command());

            // then: java never started, the log says why
            assertThat(run.code()).as(run.output()).isZero();
            assertThat(layout.work.resolve("java-args")).doesNotExist();
            assertThat(Files.readString(layout.log.resolve("nightly.log"))).endsWith("msa-batch nightly: exit 75\n");
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    // --- Kubernetes ----------------------------------------------------------------------------------------

    @Test
    void cronJobNeverRunsTwoAtOnce() throws IOException {
        // given
        Map<String, Object> cronJob = manifest("CronJob");
        Map<String, Object> spec = map(cronJob, "spec");

        // then
        assertThat(spec.get("concurrencyPolicy")).isEqualTo("Forbid");
        assertThat((Integer) spec.get("startingDeadlineSeconds")).isPositive();
        assertThat(String.valueOf(spec.get("schedule")).split(" ")).hasSize(5);
    }

    @Test
    void cronJobTakesCredentialsFromTheSecret() throws IOException {
        // given
        Map<String, Object> container = container();
        Map<String, Object> secret = manifest("Secret");
        Map<String, Object> secretKeys = new LinkedHashMap<>(mapOrEmpty(secret, "stringData"));
        secretKeys.putAll(mapOrEmpty(secret, "data"));
        Map<String, Map<String, Object>> env = env(container);

        // then: every credential is a secretKeyRef to a key the Secret defines; no literal value
        assertThat(env).containsKeys("OPENPROTEIN_USERNAME", "OPENPROTEIN_PASSWORD", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");
        env.forEach((name, entry) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                assertThat(entry).as(name).doesNotContainKey("value");
                Map<String, Object> ref = map(map(entry, "valueFrom"), "secretKeyRef");
                assertThat(ref.get("name")).as(name).isEqualTo(map(secret, "metadata").get("name"));
                assertThat(secretKeys).as(name).containsKey((String) ref.get("key"));
            }
        });
        assertThat(container.get("args").toString()).doesNotContainIgnoringCase("password");
    }

    @Test
    void cronJobUsesPostgresqlAsItsJobRepository() throws IOException {
        // given
        Map<String, Map<String, Object>> env = env(container());

        // then: the run's state lives outside the pod, so a retry on any node resumes it
        assertThat((String) env.get("SPRING_DATASOURCE_URL").get("value")).startsWith("jdbc:postgresql://");
    }

    @Test
    void cronJobWaitsForTheGracefulStopBeforeKilling() throws IOException {
        // given
        Map<String, Object> pod = podSpec();

        // then
        assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
                .isGreaterThanOrEqualTo((int) GRACEFUL_STOP.toSeconds());
    }

    @Test
    void cronJobRetriesOnlyWhatARerunCanHeal() throws IOException {
        // given
        Map<String, Object> job = map(map(map(manifest("CronJob"), "spec"), "jobTemplate"), "spec");
        String containerName = (String) container().get("name");

        // then: 2 and 3 end the Job at once (a re-run changes nothing); other failures use the back-off budget
        assertThat((Integer) job.get("backoffLimit")).isBetween(1, 6);
        assertThat(podSpec().get("restartPolicy")).isEqualTo("Never"); // podFailurePolicy requires it
        List<Map<String, Object>> rules = list(map(job, "podFailurePolicy"), "rules");
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.get("action")).isEqualTo("FailJob");
            Map<String, Object> exitCodes = map(rule, "onExitCodes");
            assertThat(exitCodes.get("containerName")).isEqualTo(containerName);
            assertThat(exitCodes.get("operator")).isEqualTo("In");
            assertThat(stringList(exitCodes.get("values"))).contains("2", "3").doesNotContain("1", "4", "143");
        });
    }

    @Test
    void cronJobHeapFitsItsMemoryLimit() throws IOException {
        // given
        Map<String, Object> container = container();
        Map<String, Object> resources = map(container, "resources");
        long limit = quantity((String) map(resources, "limits").get("memory"));
        long request = quantity((String) map(resources, "requests").get("memory"));

        // then
        assertThat(request).isLessThanOrEqualTo(limit);
        assertHeapFits(String.join(" ", stringList(container.get("command"))), limit);
    }

    @Test
    void cronJobFindsItsConfigAndVolumeWhereItsArgumentsPoint() throws IOException {
        // given
        Map<String, Object> pod = podSpec();
        Map<String, Object> container = container();
        String config = stringList(container.get("args")).stream().filter(a -> a.startsWith("--config="))
                .map(a -> a.substring("--config=".length())).findFirst().orElseThrow();
        Map<String, Map<String, Object>> volumes = byName(list(pod, "volumes"));
        Map<String, Map<String, Object>> mounts = byName(list(container, "volumeMounts"));

        // then: the config file is a key of the ConfigMap mounted at its folder; the claim is the one in pvc.yaml
        Path configPath = Path.of(config);
        Map<String, Object> configMount = mounts.values().stream()
                .filter(m -> configPath.getParent().equals(Path.of((String) m.get("mountPath")))).findFirst().orElseThrow();
        Map<String, Object> configVolume = map(volumes.get((String) configMount.get("name")), "configMap");
        Map<String, Object> configMap = manifest("ConfigMap");
        assertThat(configVolume.get("name")).isEqualTo(map(configMap, "metadata").get("name"));
        assertThat(map(configMap, "data")).containsKey(configPath.getFileName().toString());

        Map<String, Object> dataVolume = volumes.values().stream().filter(v -> v.containsKey("persistentVolumeClaim"))
                .findFirst().orElseThrow();
        assertThat(map(dataVolume, "persistentVolumeClaim").get("claimName"))
                .isEqualTo(map(manifest("PersistentVolumeClaim"), "metadata").get("name"));
        Path dataMount = Path.of((String) mounts.get((String) dataVolume.get("name")).get("mountPath"));
        assertThat(Path.of((String) container.get("workingDir"))).startsWithRaw(dataMount);
    }

    @Test
    void configMapPipelineConfigBindsToTheRealSettings() throws IOException {
        // given: the job config exactly as the app reads it, bound strictly (an unknown key fails)
        Map<String, Object> data = map(manifest("ConfigMap"), "data");
        assertThat(data).hasSize(1);
        String yaml = (String) data.values().iterator().next();
        List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load("configmap", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources));

        // when
        PipelineProperties pipeline = binder.bind("pipeline", Bindable.of(PipelineProperties.class),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).orElseThrow(IllegalStateException::new);
        OpenProteinProperties openprotein = binder.bind("openprotein", Bindable.of(OpenProteinProperties.class),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).orElseThrow(IllegalStateException::new);

        // then: the real service, and input and output on the data volume
        assertThat(openprotein.baseUrl()).startsWith("https://");
        Path dataMount = Path.of((String) byName(list(container(), "volumeMounts")).get("data").get("mountPath"));
        assertThat(pipeline.input()).startsWithRaw(dataMount);
        assertThat(pipeline.output()).startsWithRaw(dataMount);
        assertThat(yaml).doesNotContainIgnoringCase("password");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The crontab's command with its folders moved under a temporary root and {@code java} replaced by a script. */
    private record Layout(Path work, Path etc, Path opt, Path log, Path bin) {

        static Layout in(Path root) throws IOException {
            Layout l = new Layout(root.resolve("var-lib"), root.resolve("etc"), root.resolve("opt"),
                    root.resolve("var-log"), root.resolve("bin"));
            for (Path d : List.of(l.work, l.etc, l.opt, l.log, l.bin)) {
                Files.createDirectories(d);
            }
            Path java = l.bin.resolve("java");
            Files.writeString(java, """
                    #!/bin/sh
                    printf '%s\\n' "$@" > "$PWD/java-args"
                    printf '%s|%s\\n' "$OPENPROTEIN_USERNAME" "$OPENPROTEIN_PASSWORD" > "$PWD/java-env"
                    echo "java stand-in ran"
                    exit 3
                    """);
            assertThat(java.toFile().setExecutable(true)).isTrue();
            return l;
        }

        String command() throws IOException {
            String command = cronEntries().get(0).split("\\s+", 6)[5];
            for (String folder : List.of("/var/lib/msa-batch", "/etc/msa-batch", "/opt/msa-batch", "/var/log/msa-batch")) {
                assertThat(command).as("the crontab's layout").contains(folder);
            }
            return command.replace("/var/lib/msa-batch", work.toString()).replace("/etc/msa-batch", etc.toString())
                    .replace("/opt/msa-batch", opt.toString()).replace("/var/log/msa-batch", log.toString());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result exec(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static Path onPath(String tool) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), tool + " is not installed (Debian: apt-get install systemd util-linux), so "
                + "this check of the deploy files is skipped");
        return found.get();
    }

    /** A unit file as section → key → values (a key given twice keeps both, as systemd's list settings do). */
    private static Map<String, Map<String, List<String>>> unit(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                current = sections.computeIfAbsent(l.substring(1, l.indexOf(']')), k -> new LinkedHashMap<>());
            } else {
                String[] kv = l.split("=", 2);
                current.computeIfAbsent(kv[0].strip(), k -> new ArrayList<>()).add(kv[1].strip());
            }
        }
        return sections;
    }

    private static List<String> words(List<String> values) {
        return values == null ? List.of()
                : values.stream().flatMap(v -> Stream.of(v.split("\\s+"))).filter(w -> !w.isEmpty()).toList();
    }

    /** systemd time spans as used here: {@code 120s}, {@code 15min}, {@code 12h}, or plain seconds. */
    private static Duration seconds(String span) {
        Matcher m = Pattern.compile("(\\d+)\\s*(s|sec|min|m|h)?").matcher(span.strip());
        assertThat(m.matches()).as("time span %s", span).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "min", "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static long bytes(String size, int base) {
        Matcher m = Pattern.compile("(\\d+)([KMG]?)").matcher(size.strip());
        assertThat(m.matches()).as("size %s", size).isTrue();
        int power = "KMG".indexOf(m.group(2)) + 1;
        return Long.parseLong(m.group(1)) * (long) Math.pow(base, power);
    }

    /** Kubernetes memory quantities: {@code 1Gi}, {@code 768Mi}, {@code 1G}, or plain bytes. */
    private static long quantity(String q) {
        Matcher m = Pattern.compile("(\\d+)([KMG]i?)?").matcher(q);
        assertThat(m.matches()).as("quantity %s", q).isTrue();
        String unit = m.group(2) == null ? "" : m.group(2);
        return unit.isEmpty() ? Long.parseLong(m.group(1))
                : bytes(m.group(1) + unit.charAt(0), unit.endsWith("i") ? 1024 : 1000);
    }

    /** The heap takes at most 3/4 of the memory limit: metaspace, threads and buffers need the rest. */
    private static void assertHeapFits(String jvmOptions, long memoryLimit) {
        Matcher m = XMX.matcher(jvmOptions);
        assertThat(m.find()).as("-Xmx in %s", jvmOptions).isTrue();
        long heap = bytes(m.group(1) + m.group(2).toUpperCase(), 1024);
        assertThat(heap).as("-Xmx vs memory limit %d", memoryLimit).isLessThanOrEqualTo(memoryLimit * 3 / 4);
        // that flag makes the JVM exit 3, which the schedulers read as "completed, some records lack files"
        assertThat(jvmOptions).doesNotContain("ExitOnOutOfMemoryError");
    }

    private static List<String> cronEntries() throws IOException {
        return Files.readAllLines(CRONTAB).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).toList();
    }

    private static Map<String, Object> manifest(String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    if (doc instanceof Map<?, ?> m && kind.equals(m.get("kind"))) {
                        found.add(cast(m));
                    }
                }
            }
        }
        assertThat(found).as("%s manifests in %s", kind, KUBERNETES).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> podSpec() throws IOException {
        return map(map(map(map(map(manifest("CronJob"), "spec"), "jobTemplate"), "spec"), "template"), "spec");
    }

    private static Map<String, Object> container() throws IOException {
        List<Map<String, Object>> containers = list(podSpec(), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        return byName(list(container, "env"));
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> entries) {
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        entries.forEach(e -> named.put((String) e.get("name"), e));
        return named;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).as("parent of %s", key).isNotNull();
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return cast(value);
    }

    private static Map<String, Object> mapOrEmpty(Map<String, Object> parent, String key) {
        return parent.containsKey(key) ? map(parent, key) : Map.of();
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return cast(value);
    }

    private static List<String> stringList(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
