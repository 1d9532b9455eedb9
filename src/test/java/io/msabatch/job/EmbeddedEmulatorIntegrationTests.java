package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.api.Job;
import io.msabatch.api.OpenProteinClient;
import io.msabatch.api.OpenProteinConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EmbeddedEmulatorIntegrationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OpenProteinConfiguration.class, EmbeddedEmulatorConfiguration.class);

    @TempDir
    Path dir;

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
            assertThat(job.jobId()).isNotBlank();
        });
        assertThat(state.resolve("emulator")).isDirectory();
    }

    @Test
    void startsNoEmulatorUntilTheClientIsNeeded() {
        Path state = dir.resolve("lazy");
        runner.withPropertyValues("openprotein.base-url=embedded", "msa-batch.state-dir=" + state)
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(state.resolve("emulator")).doesNotExist();
    }
}
