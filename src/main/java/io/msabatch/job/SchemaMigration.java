package io.msabatch.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Brings the pipeline's database to this version's schema the moment its data source is created, before anything
 * (Spring Batch's job repository, the ledger) can use it, and runs Flyway only when the schema is not at the last
 * migration (a new database, or an upgrade). When it is current, one query of Flyway's history table replaces
 * Flyway altogether: its start-up, its scan and validation of every migration, and the thousand classes it and its
 * Jackson 2 configuration model load, which were most of a nightly start-up's database time.
 *
 * <p>Boot's Flyway auto-configuration is therefore not used (see {@link PipelineConfiguration}); the locations are
 * fixed: {@code db/pipeline/common} and {@code db/pipeline/<vendor>} ({@code h2} or {@code postgresql}).
 */
@Configuration(proxyBeanMethods = false)
class SchemaMigration {

    /** The version of the last migration in {@code db/pipeline}; raise it with every new migration. */
    static final String LATEST = "9";

    @Bean
    static BeanPostProcessor migrateTheDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource dataSource) {
                    migrateIfBehind(dataSource);
                }
                return bean;
            }
        };
    }

    /** Migrates {@code dataSource} to {@link #LATEST} unless it is there already (or a newer msa-batch moved it on). */
    static void migrateIfBehind(DataSource dataSource) {
        if (current(dataSource)) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/pipeline/common", "classpath:db/pipeline/" + vendor(dataSource))
                .load()
                .migrate();
    }

    static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return "postgresql";
            }
            if (product.contains("h2")) {
                return "h2";
            }
            throw new IllegalStateException("msa-batch's state database must be H2 or PostgreSQL, not "
                    + c.getMetaData().getDatabaseProductName() + "; check spring.datasource.url");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the state database: " + e.getMessage(), e);
        }
    }

    static boolean current(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE")) {
            boolean latest = false;
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && !v.matches("\\d+")) {
                    return false; // a version this code does not know
                }
                if (v != null && Integer.parseInt(v) > Integer.parseInt(LATEST)) {
                    return true; // a newer msa-batch migrated it; Flyway would refuse the unknown migration anyway
                }
                latest |= LATEST.equals(v);
            }
            return latest;
        } catch (SQLException noHistoryYet) {
            return false;
        }
    }

}
