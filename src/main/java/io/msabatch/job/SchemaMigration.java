package io.msabatch.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs Flyway only when the schema is not at this version's last migration (a new database, or an upgrade): when it
 * is, one query of Flyway's history table replaces Flyway's scan and validation of every migration, which is most of
 * a start-up's database time.
 */
@Configuration(proxyBeanMethods = false)
class SchemaMigration {

    /** The version of the last migration in {@code db/pipeline}; raise it with every new migration. */
    static final String LATEST = "7";

    @Bean
    FlywayMigrationStrategy migrateOnlyWhenBehind() {
        return flyway -> {
            if (!current(flyway.getConfiguration().getDataSource())) {
                flyway.migrate();
            }
        };
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
