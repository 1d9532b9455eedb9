package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class EmbeddedEmulatorConfigurationTests {

    @TempDir
    Path dir;

    @Test
    void passesEveryEmulatorSettingAndPutsItsDataBesideThePipelineState() {
        // given
        MockEnvironment env = new MockEnvironment()
                .withProperty("emulator.job-duration", "1s-5s")
                .withProperty("emulator.faults.http-429", "0.1")
                .withProperty("openprotein.base-url", "embedded")
                .withProperty("msa-batch.state-dir", dir.toString());

        // when
        Map<String, String> settings = EmbeddedEmulatorConfiguration.emulatorSettings(env);

        // then
        assertThat(settings).containsEntry("emulator.job-duration", "1s-5s")
                .containsEntry("emulator.faults.http-429", "0.1")
                .containsEntry("server.port", "0")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("emulator.data-dir", dir.resolve("emulator").toString())
                .doesNotContainKey("openprotein.base-url");
    }

    @Test
    void keepsAnExplicitEmulatorDataDirectory() {
        MockEnvironment env = new MockEnvironment().withProperty("emulator.data-dir", "/srv/emu")
                .withProperty("msa-batch.state-dir", dir.toString());
        assertThat(EmbeddedEmulatorConfiguration.emulatorSettings(env)).containsEntry("emulator.data-dir", "/srv/emu");
    }

    @Test
    void fallsBackToTheWorkingDirectoryWithoutAStateDirectory() {
        assertThat(EmbeddedEmulatorConfiguration.emulatorSettings(new MockEnvironment()).get("emulator.data-dir"))
                .isEqualTo(Path.of(".msa-batch", "emulator").toAbsolutePath().toString());
    }
}
