package io.msabatch.emulator;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration;
import org.springframework.boot.batch.autoconfigure.BatchJobLauncherAutoConfiguration;
import org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

import jakarta.servlet.MultipartConfigElement;

/** The emulator's own Spring Boot application: web, JDBC and Flyway, no Spring Batch, this package only. */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = {BatchAutoConfiguration.class, BatchJdbcAutoConfiguration.class,
        BatchJobLauncherAutoConfiguration.class, BatchObservationAutoConfiguration.class})
@ComponentScan(basePackageClasses = EmulatorConfiguration.class)
class EmulatorConfiguration {

    @Bean
    EmulatorSettings emulatorSettings(Environment environment) {
        return EmulatorSettings.from(environment);
    }

    @Bean
    Faults faults(EmulatorSettings settings) {
        return new Faults(settings);
    }

    @Bean
    MultipartConfigElement multipartConfigElement(EmulatorSettings settings) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(DataSize.ofBytes(settings.maxUploadSize()));
        factory.setMaxRequestSize(DataSize.ofBytes(settings.maxUploadSize() + 64 * 1024));
        factory.setFileSizeThreshold(DataSize.ofKilobytes(256));
        return factory.createMultipartConfig();
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> faultValveCustomizer(Faults faults, Stats stats) {
        return factory -> factory.addContextValves(new FaultValve(faults, stats));
    }
}
