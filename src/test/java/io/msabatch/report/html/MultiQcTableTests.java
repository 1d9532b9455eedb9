package io.msabatch.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiQcTableTests {

    @TempDir
    Path dir;

    @Test
    void writesMultiQcCustomContentForEveryMsa() throws Exception {
        // given 14 records: 4 without an MSA (2 rejected, 2 failed)
        SampleRun run = new SampleRun(dir, 14);

        // when
        Path file = MultiQcTable.write(dir.resolve("out"), "globins 'nightly'", run.rows());

        // then
        List<String> lines = Files.readAllLines(file);
        assertThat(file.getFileName().toString()).isEqualTo("msa-batch_mqc.tsv");
        assertThat(lines).contains("# id: 'msa-batch'", "# plot_type: 'table'");
        assertThat(lines.stream().filter(l -> l.startsWith("# description:"))).singleElement().asString()
                .contains("pipeline globins ''nightly''");
        List<String> table = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(table.get(0)).isEqualTo("Sample\tn_seq\tneff\tcoverage_mean\tcoverage_min\tmsa_warning\torigin");
        assertThat(table).hasSize(1 + 10);
        assertThat(table.get(1)).isEqualTo("sp|P10000|GLB_0\t1\t1.0\t1.000\t1.000\tquery-only\tsubmitted");
        assertThat(table.get(2)).startsWith("sp|P10001|GLB_1\t3\t").endsWith("\tshallow\treused");
    }
}
