package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class CredentialsTests {

    @TempDir
    Path dir;

    @Test
    void neverShowsThePasswordInToString() {
        assertThat(new Credentials("alice", "s3cret-pw").toString()).contains("alice").doesNotContain("s3cret-pw");
    }

    @Test
    void readsUsernameAndPasswordFromAPropertiesFile() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("openprotein.properties"), "username=alice\npassword=s3cret=pw\n");

        // when
        Credentials c = Credentials.fromFile(file);

        // then
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.password()).isEqualTo("s3cret=pw");
    }

    @Test
    void refusesAFileWithoutPasswordWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "username=alice\npasword=s3cret-pw\n");
        assertThatThrownBy(() -> Credentials.fromFile(file)).hasMessageContaining("password=")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void takesCredentialsFromTheEnvironmentVariables() {
        MockEnvironment env = new MockEnvironment().withProperty("OPENPROTEIN_USERNAME", "bob")
                .withProperty("OPENPROTEIN_PASSWORD", "pw");
        Credentials c = OpenProteinConfiguration.credentials(OpenProteinProperties.defaults("https://x"), env, false);
        assertThat(c).isEqualTo(new Credentials("bob", "pw"));
    }

    @Test
    void usesTheEmulatorsDemoUserWhenEmbeddedAndNothingIsGiven() {
        Credentials c = OpenProteinConfiguration.credentials(OpenProteinProperties.defaults("embedded"),
                new MockEnvironment(), true);
        assertThat(c).isEqualTo(new Credentials("demo", "demo"));
    }

    @Test
    void failsWithOneSentenceNamingBothWaysForTheRealServiceWithoutCredentials() {
        assertThatThrownBy(() -> OpenProteinConfiguration.credentials(
                OpenProteinProperties.defaults("https://api.openprotein.ai"), new MockEnvironment(), false))
                .isInstanceOf(OpenProteinSetupException.class)
                .hasMessageContaining("OPENPROTEIN_USERNAME").hasMessageContaining("OPENPROTEIN_PASSWORD")
                .hasMessageContaining("openprotein.credentials-file");
    }

    @Test
    void refusesPlainHttpToANonLoopbackHostUnlessAllowed() {
        assertThatThrownBy(() -> OpenProteinClient.checkedBaseUrl("http://api.openprotein.ai", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allow-insecure-http");
        assertThat(OpenProteinClient.checkedBaseUrl("http://api.openprotein.ai/", true))
                .isEqualTo("http://api.openprotein.ai");
        assertThat(OpenProteinClient.checkedBaseUrl("http://127.0.0.1:8080", false)).isEqualTo("http://127.0.0.1:8080");
        assertThat(OpenProteinClient.checkedBaseUrl("http://localhost:8080", false)).isEqualTo("http://localhost:8080");
        assertThat(OpenProteinClient.checkedBaseUrl("http://[::1]:8080", false)).isEqualTo("http://[::1]:8080");
        assertThat(OpenProteinClient.checkedBaseUrl("https://api.openprotein.ai", false))
                .isEqualTo("https://api.openprotein.ai");
        assertThatThrownBy(() -> OpenProteinClient.checkedBaseUrl("ftp://x", true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
