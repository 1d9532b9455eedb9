package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.FatalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class OpenProteinConfigurationIntegrationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OpenProteinConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void bindsSettingsWithTheirDefaults() {
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai", "OPENPROTEIN_USERNAME=alice",
                        "OPENPROTEIN_PASSWORD=pw", "openprotein.retry.max-attempts=4", "openprotein.paths=current")
                .run(ctx -> {
                    OpenProteinProperties p = ctx.getBean(OpenProteinProperties.class);
                    assertThat(p.paths()).isEqualTo(OpenProteinProperties.Paths.CURRENT);
                    assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(p.retry().maxAttempts()).isEqualTo(4);
                    assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofMillis(500));
                    assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.pageSize()).isEqualTo(500);
                    assertThat(ctx.getBean(OpenProteinClient.class).baseUrl()).isEqualTo("https://api.openprotein.ai");
                });
    }

    @Test
    void failsAtStartupWithoutCredentialsForTheRealService() {
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(FatalException.class)
                    .hasMessageContaining("OPENPROTEIN_USERNAME").hasMessageContaining("openprotein.credentials-file");
        });
    }

    @Test
    void refusesPlainHttpToARemoteHost() {
        runner.withPropertyValues("openprotein.base-url=http://api.openprotein.ai", "OPENPROTEIN_USERNAME=alice",
                "OPENPROTEIN_PASSWORD=pw").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("plain http")
                    .hasMessageNotContaining("pw");
        });
    }

    @Test
    void readsCredentialsFromTheNamedFile() throws Exception {
        Path file = Files.writeString(dir.resolve("op.properties"), "username=carol\npassword=pw\n");
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai",
                "openprotein.credentials-file=" + file).run(ctx -> assertThat(ctx).hasNotFailed()
                .hasSingleBean(OpenProteinClient.class));
    }

    @Test
    void startsTheEmbeddedEmulatorWithItsDataBesideThePipelineState() {
        // given
        Path state = dir.resolve("state");

        // when
        runner.withPropertyValues("openprotein.base-url=embedded", "msa-batch.state-dir=" + state,
                "emulator.job-duration=100ms", "emulator.msa-mode=seed-only").run(ctx -> {
            OpenProteinClient client = ctx.getBean(OpenProteinClient.class);
            Job job = client.submitMsa("MKTAYIAKQRQISFVKSHFSRQ");

            // then
            assertThat(client.baseUrl()).startsWith("http://127.0.0.1:");
            assertThat(client.getJob(job.jobId()).jobId()).isEqualTo(job.jobId());
        });
        assertThat(state.resolve("emulator")).isDirectory();
    }
}
