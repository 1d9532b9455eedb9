package io.msabatch.emulator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator as a separate JVM ({@code msa-batch emulator} on the test classpath, port 0), its output in a log
 * file. {@link #kill()} is a {@code kill -9} of that JVM itself; {@link #close()} stops it if it still runs.
 */
final class EmulatorProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private EmulatorProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /** Starts the JVM and waits (at most 90 s) until it prints the address it listens on. */
    static EmulatorProcess start(Path log, List<String> jvmOptions, Map<String, String> settings) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.msabatch.MsaBatchApplication");
        cmd.add("emulator");
        cmd.add("--port=0");
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        try {
            Files.deleteIfExists(log);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .directory(new File(System.getProperty("user.dir"))).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                Matcher m = LISTENING.matcher(out);
                if (m.find()) {
                    return new EmulatorProcess(p, m.group(1), log);
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("emulator exited with " + p.exitValue() + ":\n" + out);
                }
                EmulatorClient.sleep(50);
            }
            p.destroyForcibly();
            throw new IllegalStateException("emulator did not start within 90 s:\n" + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    /** CPU seconds (user + system) the emulator JVM has used so far, from /proc (Linux). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL on the JVM's own process: no shutdown hook, no flush. Returns once it is gone. */
    void kill() {
        process.destroyForcibly();
        waitGone(30);
    }

    /** SIGTERM (a graceful stop), then SIGKILL after 30 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitGone(30)) {
                kill();
            }
        }
    }

    private boolean waitGone(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
