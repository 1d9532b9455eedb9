package io.msabatch.job;

import io.msabatch.run.PipelineProperties;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The pipeline's Spring context: Boot's batch (JDBC job repository), data source and Flyway auto-configuration,
 * plus the features the job uses. The emulator package is deliberately not scanned: it runs in its own context.
 *
 * <p>The auto-configurations are listed, not discovered: {@code @EnableAutoConfiguration} would evaluate all of
 * Boot's and switch on JVM, system, logback, executor and pool metrics, Jackson, HTTP converters and schedulers
 * that a batch run never uses; their classes cost start-up time before the first POST (see README, "Benchmarks").
 * What is here: the data source and transactions, Spring Batch's JDBC job repository (with its observations, the
 * {@code spring_batch_*} meters) and the meter registry that the Pushgateway export uses. The schema is migrated by
 * {@link SchemaMigration}, not by Boot's Flyway auto-configuration.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
        org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration.class,
        org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class,
        org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration.class,
        org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration.class,
        org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration.class,
        org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration.class,
        org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration.class,
        org.springframework.boot.batch.autoconfigure.BatchJobLauncherAutoConfiguration.class,
        org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
        org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration.class,
        org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
        org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
        org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration.class,
})
@EnableConfigurationProperties(PipelineProperties.class)
@ComponentScan(basePackages = {"io.msabatch.job", "io.msabatch.ledger", "io.msabatch.submit", "io.msabatch.poll",
        "io.msabatch.report", "io.msabatch.api"})
public class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
