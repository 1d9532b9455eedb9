package io.msabatch.job;

import io.msabatch.run.PipelineProperties;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The pipeline's Spring context: Boot's batch (JDBC job repository), data source and Flyway auto-configuration,
 * plus the features the job uses. The emulator package is deliberately not scanned: it runs in its own context.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(PipelineProperties.class)
@ComponentScan(basePackages = {"io.msabatch.job", "io.msabatch.ledger", "io.msabatch.submit", "io.msabatch.poll",
        "io.msabatch.report", "io.msabatch.api"})
public class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
