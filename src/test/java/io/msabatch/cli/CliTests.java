package io.msabatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CliTests {

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
        assertThatThrownBy(() -> Settings.parse(List.of("--inptu=x.fasta")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--inptu");
        assertThatThrownBy(() -> Settings.parse(List.of("stray")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray");
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

    @Test
    void aBadCommandLineIsExitCodeTwo() {
        assertThat(run("run", "--config").code()).isEqualTo(2);
        assertThat(run("frobnicate", "--config=x").code()).isIn(1, 2);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        CliRun r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("run").contains("emulator").contains("status").contains("Exit codes");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
