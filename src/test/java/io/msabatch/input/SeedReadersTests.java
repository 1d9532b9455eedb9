package io.msabatch.input;

import static io.msabatch.input.SeedReading.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedReadersTests {

    @TempDir
    Path dir;

    @Test
    void resolvesTheFormatByExtensionThenByContent() {
        assertThat(InputFormat.resolve(Path.of("x.fa"), InputFormat.AUTO)).isEqualTo(InputFormat.FASTA);
        assertThat(InputFormat.resolve(Path.of("x.FASTA.gz"), InputFormat.AUTO)).isEqualTo(InputFormat.FASTA);
        assertThat(InputFormat.resolve(Path.of("x.faa"), null)).isEqualTo(InputFormat.FASTA);
        assertThat(InputFormat.resolve(Path.of("x.csv"), InputFormat.AUTO)).isEqualTo(InputFormat.CSV);
        assertThat(InputFormat.resolve(Path.of("x.fasta"), InputFormat.CSV)).isEqualTo(InputFormat.CSV);
        assertThat(InputFormat.resolve(resource("sniff-fasta.txt"), InputFormat.AUTO)).isEqualTo(InputFormat.FASTA);
        assertThat(InputFormat.resolve(resource("sniff-csv.txt"), InputFormat.AUTO)).isEqualTo(InputFormat.CSV);
    }

    @Test
    void refusesAFileThatIsNeitherFastaNorCsv() {
        assertThatThrownBy(() -> InputFormat.resolve(resource("neither.txt"), InputFormat.AUTO))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("is neither FASTA")
                .hasMessageNotContaining("\n");
    }

    @Test
    void acceptsGoodFiles() {
        for (String name : new String[] {"empty-record.fasta", "crlf.fasta", "bom.csv", "blank-lines.csv", "header-case.csv"}) {
            assertThatCode(() -> SeedReaders.check(resource(name), InputFormat.AUTO)).as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("nope.csv");

        assertThatThrownBy(() -> SeedReaders.check(missing, InputFormat.AUTO))
                .isInstanceOf(InputFileException.class)
                .hasMessage("input file " + missing + " does not exist; check pipeline.input (--input)");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> SeedReaders.check(dir, InputFormat.FASTA))
                .isInstanceOf(InputFileException.class).hasMessageContaining("is a directory");
    }

    @Test
    void refusesEmptyAndBlankFiles() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.fasta"));

        assertThatThrownBy(() -> SeedReaders.check(empty, InputFormat.AUTO))
                .isInstanceOf(InputFileException.class).hasMessageContaining("is empty (no records)");
        assertThatThrownBy(() -> SeedReaders.check(resource("blank.fasta"), InputFormat.AUTO))
                .isInstanceOf(InputFileException.class).hasMessageContaining("is empty (no records)");
        assertThatThrownBy(() -> SeedReaders.check(resource("header-only.csv"), InputFormat.AUTO))
                .isInstanceOf(InputFileException.class).hasMessageContaining("has a header row but no records");
    }

    @Test
    void refusesFastaThatDoesNotStartWithAHeader() {
        assertThatThrownBy(() -> SeedReaders.check(resource("no-header.fasta"), InputFormat.AUTO))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("first line 'MKVLAAGLLL' does not start with '>'");
    }

    @Test
    void refusesCsvWithoutTheRequiredColumns() {
        Path file = resource("missing-sequence-column.csv");

        assertThatThrownBy(() -> SeedReaders.check(file, InputFormat.AUTO))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("(found: name, seq)");
    }

    @Test
    void refusesCsvWithOnlyTheSequenceColumnMissing() throws Exception {
        Path file = Files.writeString(dir.resolve("seeds.csv"), "id,seq\nP1,MKVL\n");

        assertThatThrownBy(() -> SeedReaders.check(file, InputFormat.AUTO))
                .hasMessage("input file " + file + " has no 'sequence' column (found: id, seq);"
                        + " add a header row with 'id' and 'sequence' columns");
    }

    @Test
    void opensTheReaderForTheResolvedFormatUnderTheCheckpointName() {
        SeedFileReader fasta = SeedReaders.open(resource("crlf.fasta"), InputFormat.AUTO);
        SeedFileReader csv = SeedReaders.open(resource("bom.csv"), InputFormat.AUTO);

        assertThat(fasta.format()).isEqualTo(InputFormat.FASTA);
        assertThat(csv.format()).isEqualTo(InputFormat.CSV);
        assertThat(SeedFileReader.NAME).isEqualTo("seedsReader");
    }
}
