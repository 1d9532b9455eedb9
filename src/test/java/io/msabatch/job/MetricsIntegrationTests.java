package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.msabatch.cli.CliRun;
import io.msabatch.emulator.Emulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's metrics where an operator reads them: a real Prometheus Pushgateway (Debian's
 * {@code prometheus-pushgateway}, started here; the test is skipped when it is not installed) scraped after a run,
 * and the node-exporter textfile.
 */
class MetricsIntegrationTests {

    static final Path PUSHGATEWAY = Path.of("/usr/bin/prometheus-pushgateway");

    @TempDir
    Path dir;

    private Emulator.RunningEmulator emulator;
    private Process gateway;

    @BeforeEach
    void startEmulator() throws IOException {
        emulator = Emulator.start(Map.of("server.port", "0", "emulator.data-dir", dir.resolve("emulator").toString(),
                "emulator.job-duration", "100ms", "emulator.msa-mode", "seed-only"));
        Files.writeString(dir.resolve("credentials.properties"), "username=demo\npassword=demo\n");
    }

    @AfterEach
    void stop() {
        emulator.close();
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }

    @Test
    void afterARunThePushgatewayHoldsItsMetrics() throws Exception {
        // given a Pushgateway on a free loopback port
        assumeTrue(Files.isExecutable(PUSHGATEWAY), "skipped: " + PUSHGATEWAY + " is not installed "
                + "(apt-get install prometheus-pushgateway)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        gateway = new ProcessBuilder(PUSHGATEWAY.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + dir.resolve("pg.db")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushgateway.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        awaitUp(base);
        Path input = Files.writeString(dir.resolve("m.fasta"), ">a\nMKTAYIAKQRQISFVK\n>b\nMKTAYIAKQRQISFVR\n>bad\nMK1\n");

        // when
        CliRun r = CliRun.of(args(input, dir.resolve("out"),
                "--management.prometheus.metrics.export.pushgateway.enabled=true",
                "--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:" + port).toArray(String[]::new));

        // then
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        String metrics = get(base + "/metrics");
        assertThat(metrics).containsPattern("msabatch_records\\{[^}]*outcome=\"SUCCESS\"[^}]*pipeline=\"example\"[^}]*\\} 2")
                .containsPattern("msabatch_records\\{[^}]*outcome=\"REJECTED\"[^}]*\\} 1")
                .containsPattern("msabatch_http_requests_seconds_count\\{[^}]*route=\"POST /api/v1/align/msa\"[^}]*status=\"200\"[^}]*\\} 2")
                .containsPattern("msabatch_jobs_submitted\\{[^}]*\\} 2")
                .contains("msabatch_run_duration_seconds");
    }

    @Test
    void writesTheMetricsForNodeExportersTextfileCollector() throws Exception {
        Path input = Files.writeString(dir.resolve("t.fasta"), ">a\nMKTAYIAKQRQISFVK\n");
        Path textfile = dir.resolve("textfile/msa-batch.prom");

        CliRun r = CliRun.of(args(input, dir.resolve("t-out"), "--pipeline.metrics-textfile=" + textfile)
                .toArray(String[]::new));

        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(textfile);
        assertThat(text).contains("# TYPE msabatch_records gauge").containsPattern("msabatch_records\\{outcome=\"SUCCESS\"\\} 1")
                .containsPattern("msabatch_last_success_seconds [1-9]");
    }

    @Test
    void anIncompleteRunKeepsTheLastFullSuccessOfItsPipeline() throws Exception {
        // given a night that gave every record its file
        Path textfile = dir.resolve("textfile/msa-batch.prom");
        Path good = Files.writeString(dir.resolve("good.fasta"), ">a\nMKTAYIAKQRQISFVK\n");
        CliRun first = CliRun.of(args(good, dir.resolve("s-out"), "--pipeline.metrics-textfile=" + textfile)
                .toArray(String[]::new));
        assertThat(first.code()).as(first.err()).isZero();
        long lastSuccess = lastSuccess(Files.readString(textfile));
        assertThat(lastSuccess).isPositive();

        // when a later run of the same pipeline (another input) ends incomplete: one record rejected
        Path partly = Files.writeString(dir.resolve("partly.fasta"), ">b\nMKTAYIAKQRQISFVR\n>bad\nMK1\n");
        CliRun second = CliRun.of(args(partly, dir.resolve("s-out"), "--pipeline.metrics-textfile=" + textfile)
                .toArray(String[]::new));

        // then its metrics still carry the first night's success (within the second the ledger stores), not 0
        assertThat(second.code()).as(second.err()).isEqualTo(3);
        String text = Files.readString(textfile);
        assertThat(text).containsPattern("msabatch_records\\{outcome=\"REJECTED\"\\} 1");
        assertThat(lastSuccess(text)).isBetween(lastSuccess - 1, lastSuccess + 1);
    }

    @Test
    void aRunLogsItsProgressEveryIntervalFromTheLedger() throws Exception {
        // given jobs that take 3 s on their own emulator, and a progress line every second
        try (Emulator.RunningEmulator slow = Emulator.start(Map.of("server.port", "0", "emulator.data-dir",
                dir.resolve("slow-emulator").toString(), "emulator.job-duration", "3s", "emulator.msa-mode", "seed-only"))) {
            Path input = Files.writeString(dir.resolve("p.fasta"), ">a\nMKTAYIAKQRQISFVK\n>b\nMKTAYIAKQRQISFVR\n>bad\nMK1\n");
            Path output = dir.resolve("p-out");
            List<String> a = new java.util.ArrayList<>(args(input, output, "--pipeline.progress-interval=1s"));
            a.replaceAll(x -> x.startsWith("--openprotein.base-url=") ? "--openprotein.base-url=" + slow.baseUrl() : x);

            // when: run as its own JVM, its output not a terminal (a file, as under cron)
            Path console = dir.resolve("p-console.log");
            Process run = PipelineProcess.start(console, a);
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run ended").isTrue();

            // then its output and its log file hold progress lines counted from the ledger: 3 records expected, the
            // reject counted at once, the two others waiting on jobs in flight before they were written
            assertThat(run.exitValue()).as(Files.readString(console)).isEqualTo(3);
            String log;
            try (Stream<Path> logs = Files.list(output.resolve("logs"))) {
                log = Files.readString(logs.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow());
            }
            assertThat(Files.readString(console)).containsPattern("Progress: 1/3 records");
            assertThat(log).containsPattern("Progress: 1/3 records \\(33%\\) · 0 written · 0 failed · 1 rejected · 2 submitted · 2 jobs in flight");
            // and the live snapshot for `status` is gone once the run has ended
            assertThat(output.resolve(".msa-batch/example.progress.json")).doesNotExist();
        }
    }

    private static long lastSuccess(String prometheusText) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^msabatch_last_success_seconds (\\S+)$")
                .matcher(prometheusText);
        assertThat(m.find()).as(prometheusText).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private List<String> args(Path input, Path output, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--config=jobs-config/example.yml", "--input=" + input,
                "--output=" + output, "--openprotein.base-url=" + emulator.baseUrl(),
                "--openprotein.credentials-file=" + dir.resolve("credentials.properties"), "--pipeline.poll-min=100ms"));
        a.addAll(List.of(extra));
        return a;
    }

    private static void awaitUp(String base) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(until)) {
            try {
                if (get(base + "/-/ready") != null) {
                    return;
                }
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new AssertionError("the Pushgateway did not start");
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : null;
    }
}
