package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The latest-version constant the start-up shortcut relies on is the last migration that ships. */
class SchemaMigrationTests {

    @Test
    void latestIsTheHighestMigrationOfTheSchema() throws Exception {
        int highest;
        try (var files = Files.list(Path.of("src/main/resources/db/pipeline/common"))) {
            highest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(SchemaMigration.LATEST).isEqualTo(Integer.toString(highest));
    }
}
