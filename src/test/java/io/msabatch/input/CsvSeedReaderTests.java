package io.msabatch.input;

import static io.msabatch.input.SeedReading.readAll;
import static io.msabatch.input.SeedReading.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class CsvSeedReaderTests {

    @TempDir
    Path dir;

    @Test
    void keepsOtherColumnsInOrderAsExtras() throws Exception {
        List<SeedRecord> records = readAll(resource("extra-columns.csv"));

        assertThat(records).hasSize(2);
        assertThat(records.get(0).extras()).containsExactly(Map.entry("organism", "Homo sapiens"), Map.entry("note", "first"));
        assertThat(records.get(1).extras()).containsExactly(Map.entry("organism", "Mus musculus"), Map.entry("note", "second"),
                Map.entry("column5", "unexpected extra"));
        assertThat(records).extracting(SeedRecord::line).containsExactly(2L, 3L);
    }

    @Test
    void countsLinesInsideQuotedFields() throws Exception {
        List<SeedRecord> records = readAll(resource("quoted-multiline.csv"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("P1", "P2", "P3", "P4");
        assertThat(records).extracting(SeedRecord::line).containsExactly(2L, 3L, 5L, 7L);
        assertThat(records.get(1).extras().get("note")).isEqualTo("two\nlines");
        assertThat(records.get(2).rawSequence()).isEqualTo("MKVL\nAAGLLL");
    }

    @Test
    void refusesAFileWithoutASequenceColumn() {
        Path file = resource("missing-sequence-column.csv");
        SeedFileReader reader = SeedReaders.open(file, InputFormat.AUTO);

        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(InputFileException.class)
                .hasMessage("input file " + file + " has no 'id' and no 'sequence' column (found: name, seq);"
                        + " add a header row with 'id' and 'sequence' columns");
    }

    @Test
    void ignoresAByteOrderMarkBeforeTheHeader() throws Exception {
        List<SeedRecord> records = readAll(resource("bom.csv"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("P1", "P2");
        assertThat(records.get(0).extras()).isEmpty();
    }

    @Test
    void passesRecordsWithEmptyIdsOnForRejection() throws Exception {
        List<SeedRecord> records = readAll(resource("empty-id.csv"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("P1", "", "", "P4");
        assertThat(records).extracting(SeedRecord::line).containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void skipsBlankLinesAndAllBlankRowsButKeepsPhysicalLineNumbers() throws Exception {
        List<SeedRecord> records = readAll(resource("blank-lines.csv"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("P1", "P2", "P3");
        assertThat(records).extracting(SeedRecord::line).containsExactly(5L, 8L, 11L);
        assertThat(records).extracting(SeedRecord::recordNo).containsExactly(1L, 2L, 3L);
    }

    @Test
    void matchesHeaderNamesTrimmedAndCaseInsensitively() throws Exception {
        List<SeedRecord> records = readAll(resource("header-case.csv"));

        assertThat(records).extracting(SeedRecord::id, SeedRecord::rawSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("P1", "MKVLAAGLLL"));
    }

    @Test
    void namesTheLineOfAnUnclosedQuote() throws Exception {
        SeedFileReader reader = SeedReaders.open(resource("unclosed-quote.csv"), InputFormat.AUTO);
        reader.open(new ExecutionContext());

        assertThatThrownBy(reader::read)
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("is not valid CSV")
                .hasMessageContaining("2");
        reader.close();
    }

    @Test
    void restartsAfterTheCheckpointWithTheRightLineNumbers() throws Exception {
        // given 10 rows, row 3 with a two-line quoted note
        Path file = dir.resolve("ten.csv");
        StringBuilder sb = new StringBuilder("id,sequence,note\n");
        for (int i = 1; i <= 10; i++) {
            sb.append("R").append(i).append(",MKVLAAGLLL,").append(i == 3 ? "\"two\nlines\"" : "n" + i).append('\n');
        }
        Files.writeString(file, sb);
        ExecutionContext context = new ExecutionContext();
        SeedFileReader first = SeedReaders.open(file, InputFormat.AUTO);
        first.open(context);
        for (int i = 0; i < 5; i++) {
            first.read();
        }
        first.update(context);
        first.close();

        // when
        SeedFileReader second = SeedReaders.open(file, InputFormat.AUTO);
        second.open(context);
        SeedRecord sixth = second.read();
        second.close();

        // then
        assertThat(sixth).extracting(SeedRecord::recordNo, SeedRecord::id, SeedRecord::line).containsExactly(6L, "R6", 8L);
    }

    @Test
    void streamsAHundredThousandRecords() throws Exception {
        // given
        Path file = dir.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,sequence,note\n");
            for (int i = 1; i <= 100_000; i++) {
                out.write("Q" + i + ",MKVLAAGLLLMKTAYIAKQRQISFVKSHFSRQ,note " + i + "\n");
            }
        }
        SeedFileReader reader = SeedReaders.open(file, InputFormat.AUTO);
        reader.open(new ExecutionContext());

        // when
        long count = 0;
        SeedRecord last = null;
        for (SeedRecord r = reader.read(); r != null; r = reader.read()) {
            count++;
            last = r;
        }
        reader.close();

        // then
        assertThat(count).isEqualTo(100_000);
        assertThat(last).extracting(SeedRecord::recordNo, SeedRecord::id, SeedRecord::line)
                .containsExactly(100_000L, "Q100000", 100_001L);
    }
}
