package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class OpenProteinConfigurationIntegrationTests {

    /** The configured service as the endpoint (the pipeline's wiring does this; it also knows "embedded"). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class ServiceEndpoint {
        @org.springframework.context.annotation.Bean
        OpenProteinEndpoint endpoint(OpenProteinProperties p) {
            return OpenProteinEndpoint.of(p.baseUrl());
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OpenProteinConfiguration.class, ServiceEndpoint.class);

    @TempDir
    Path dir;

    @Test
    void bindsSettingsWithTheirDefaults() {
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai", "OPENPROTEIN_USERNAME=alice",
                        "OPENPROTEIN_PASSWORD=pw", "openprotein.retry.max-attempts=4")
                .run(ctx -> {
                    OpenProteinProperties p = ctx.getBean(OpenProteinProperties.class);
                    assertThat(p.paths()).isEqualTo(OpenProteinProperties.Paths.CURRENT);
                    assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(180));
                    assertThat(p.retry().maxAttempts()).isEqualTo(4);
                    assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofMillis(500));
                    assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.pageSize()).isEqualTo(100);
                    assertThat(p.visibilityGrace()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(ctx.getBean(OpenProteinClient.class).baseUrl()).isEqualTo("https://api.openprotein.ai");
                });
    }

    @Test
    void failsWithoutCredentialsForTheRealService() {
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai").run(ctx ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.getBean(OpenProteinClient.class))
                        .rootCause().isInstanceOf(OpenProteinSetupException.class)
                        .hasMessageContaining("OPENPROTEIN_USERNAME").hasMessageContaining("openprotein.credentials-file"));
    }

    @Test
    void refusesALoopbackLookingNameThatDoesNotResolveToLoopback() {
        runner.withPropertyValues("openprotein.base-url=http://evil.localhost.invalid", "OPENPROTEIN_USERNAME=alice",
                "OPENPROTEIN_PASSWORD=pw").run(ctx ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.getBean(OpenProteinClient.class))
                        .rootCause().hasMessageContaining("plain http"));
    }

    @Test
    void refusesPlainHttpToARemoteHost() {
        runner.withPropertyValues("openprotein.base-url=http://api.openprotein.ai", "OPENPROTEIN_USERNAME=alice",
                "OPENPROTEIN_PASSWORD=pw").run(ctx ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.getBean(OpenProteinClient.class))
                        .rootCause().hasMessageContaining("plain http").hasMessageNotContaining("pw"));
    }

    @Test
    void readsCredentialsFromTheNamedFile() throws Exception {
        Path file = Files.writeString(dir.resolve("op.properties"), "username=carol\npassword=pw\n");
        runner.withPropertyValues("openprotein.base-url=https://api.openprotein.ai",
                "openprotein.credentials-file=" + file).run(ctx -> assertThat(ctx).hasNotFailed()
                .hasSingleBean(OpenProteinClient.class));
    }
}
