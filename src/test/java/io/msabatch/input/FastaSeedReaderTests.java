package io.msabatch.input;

import static io.msabatch.input.SeedReading.readAll;
import static io.msabatch.input.SeedReading.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.biojava.nbio.core.sequence.ProteinSequence;
import org.biojava.nbio.core.sequence.compound.AminoAcidCompound;
import org.biojava.nbio.core.sequence.compound.AminoAcidCompoundSet;
import org.biojava.nbio.core.sequence.io.FastaReader;
import org.biojava.nbio.core.sequence.io.GenericFastaHeaderParser;
import org.biojava.nbio.core.sequence.io.ProteinSequenceCreator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class FastaSeedReaderTests {

    @TempDir
    Path dir;

    @Test
    void keepsHeadersWithoutSequenceLinesAsEmptyRecords() throws Exception {
        // given a header with no sequence in the middle and one at the end
        Path file = resource("empty-record.fasta");

        // when
        List<SeedRecord> records = readAll(file);

        // then
        assertThat(records).extracting(SeedRecord::id).containsExactly("P00001", "P00002", "P00003", "P00004");
        assertThat(records).extracting(SeedRecord::rawSequence)
                .containsExactly("MKVLAAGLLL", "", "MKTAYIAKQRQISFVKSHFS", "");
        assertThat(records).extracting(SeedRecord::line).containsExactly(1L, 3L, 4L, 7L);
        assertThat(records).extracting(SeedRecord::recordNo).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records.get(1).extras()).containsExactly(Map.entry("description", "header without sequence lines"));
    }

    @Test
    void keepsRecordsWithLettersBioJavaRejects() throws Exception {
        // given
        Path file = resource("bad-letters.fasta");

        // when
        List<SeedRecord> records = readAll(file);

        // then every record comes through with its text as written
        assertThat(records).extracting(SeedRecord::id).containsExactly("DIGIT", "HASH", "STOP", "lower", "SPACES", "GOOD");
        assertThat(records).extracting(SeedRecord::rawSequence).containsExactly(
                "MKVL1AAGLLL", "MKVLAA#GLLL", "MKVLAAGLLL*", "mkvlaaglll", "MKV LAA\tGLLL", "MKVLAAGLLL");
        assertThat(records).extracting(SeedRecord::line).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
    }

    @Test
    void plainBioJavaReaderWouldDropWhatWeKeep() throws Exception {
        // given BioJava's own reader, which drops such records silently (the reason for our guard)
        int bioJavaCount = 0;
        for (String name : List.of("bad-letters.fasta", "empty-record.fasta")) {
            try (InputStream in = Files.newInputStream(resource(name))) {
                FastaReader<ProteinSequence, AminoAcidCompound> plain = new FastaReader<>(in,
                        new GenericFastaHeaderParser<>(), new ProteinSequenceCreator(AminoAcidCompoundSet.getAminoAcidCompoundSet()));
                for (Map<String, ProteinSequence> m = plain.process(1); m != null; m = plain.process(1)) {
                    bioJavaCount += m.size();
                }
            }
        }

        // when
        int ours = readAll(resource("bad-letters.fasta")).size() + readAll(resource("empty-record.fasta")).size();

        // then
        assertThat(ours).isEqualTo(10);
        assertThat(bioJavaCount).isLessThan(ours);
    }

    @Test
    void readsCrlfFilesWithTheSameLineNumbers() throws Exception {
        List<SeedRecord> records = readAll(resource("crlf.fasta"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("crlf1", "crlf2");
        assertThat(records).extracting(SeedRecord::rawSequence).containsExactly("MKVLAAGLLLMKVL", "MKTAYIAKQR");
        assertThat(records).extracting(SeedRecord::line).containsExactly(1L, 4L);
        assertThat(records.get(0).extras().get("description")).isEqualTo("first");
    }

    @Test
    void keepsEveryRecordOfARepeatedAccession() throws Exception {
        List<SeedRecord> records = readAll(resource("duplicate-ids.fasta"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("P1", "P1", "P1");
        assertThat(records).extracting(SeedRecord::rawSequence).containsExactly("MKVLAAGLLL", "MKTAYIAKQR", "MKVLAAGLLL");
        assertThat(records).extracting(r -> r.extras().get("description"))
                .containsExactly("first copy", "second copy, same accession", "third copy");
    }

    @Test
    void splitsTheIdAtTabsAndKeepsTheRestAsDescription() throws Exception {
        List<SeedRecord> records = readAll(resource("header-with-tabs.fasta"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("tabbed", "leading-tab-id");
        assertThat(records).extracting(r -> r.extras().get("description")).containsExactly("description with\ttabs", "more");
    }

    @Test
    void readsTheLastRecordWithoutATrailingNewline() throws Exception {
        List<SeedRecord> records = readAll(resource("no-trailing-newline.fasta"));

        assertThat(records).extracting(SeedRecord::id).containsExactly("first", "last");
        assertThat(records.get(1).rawSequence()).isEqualTo("MKTAYIAKQR");
        assertThat(records.get(1).line()).isEqualTo(3L);
    }

    @Test
    void keepsSequenceTextBeforeTheFirstHeaderAsARecordWithoutId() throws Exception {
        List<SeedRecord> records = readAll(resource("no-header.fasta"));

        assertThat(records).hasSize(2);
        assertThat(records.get(0)).extracting(SeedRecord::id, SeedRecord::rawSequence, SeedRecord::line)
                .containsExactly("", "MKVLAAGLLL", 1L);
        assertThat(records.get(1)).extracting(SeedRecord::id, SeedRecord::line).containsExactly("P1", 2L);
    }

    @Test
    void parsesUniProtAccessionsAndPlainIds() {
        assertThat(FastaSeedReader.idAndDescription("sp|P12345|NAME_HUMAN Some protein OS=Homo"))
                .containsExactly("P12345", "Some protein OS=Homo");
        assertThat(FastaSeedReader.idAndDescription("tr|A7TBS3|A7TBS3_NEMVE Predicted")).containsExactly("A7TBS3", "Predicted");
        assertThat(FastaSeedReader.idAndDescription("gi|123|ref|NP_1| x")).containsExactly("gi|123|ref|NP_1|", "x");
        assertThat(FastaSeedReader.idAndDescription("plain")).containsExactly("plain", "");
        assertThat(FastaSeedReader.idAndDescription("")).containsExactly("", "");
    }

    @Test
    void readsGzippedFasta(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("seeds.fasta.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(">g1 zipped\nMKVL\n>g2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        assertThat(readAll(file)).extracting(SeedRecord::id, SeedRecord::rawSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("g1", "MKVL"), org.assertj.core.groups.Tuple.tuple("g2", ""));
    }

    @Test
    void restartsAfterTheCheckpointWithTheRightLineNumbers() throws Exception {
        // given 10 records of two sequence lines each, record 4 without sequence
        Path file = dir.resolve("ten.fasta");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            sb.append(">R").append(i).append(" record ").append(i).append('\n');
            if (i != 4) {
                sb.append("MKVLAAGLLL\nMKTAYIAKQR\n");
            }
        }
        Files.writeString(file, sb);
        ExecutionContext context = new ExecutionContext();
        SeedFileReader first = SeedReaders.open(file, InputFormat.FASTA);
        first.open(context);
        List<SeedRecord> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(first.read());
        }
        first.update(context);
        first.close();

        // when a new reader opens with the saved context
        SeedFileReader second = SeedReaders.open(file, InputFormat.FASTA);
        second.open(context);
        SeedRecord sixth = second.read();
        List<SeedRecord> rest = new ArrayList<>();
        for (SeedRecord r = second.read(); r != null; r = second.read()) {
            rest.add(r);
        }
        second.close();

        // then
        assertThat(context.getInt("seedsReader.read.count")).isEqualTo(5);
        assertThat(before).extracting(SeedRecord::line).containsExactly(1L, 4L, 7L, 10L, 11L);
        assertThat(sixth).extracting(SeedRecord::recordNo, SeedRecord::id, SeedRecord::line).containsExactly(6L, "R6", 14L);
        assertThat(rest).extracting(SeedRecord::id).containsExactly("R7", "R8", "R9", "R10");
        assertThat(rest.get(3).line()).isEqualTo(26L);
    }

    @Test
    void failsOpenWithAOneLineMessageWhenTheFileIsMissing() {
        SeedFileReader reader = SeedReaders.open(dir.resolve("missing.fasta"), InputFormat.AUTO);

        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("missing.fasta does not exist");
    }

    @Test
    void streamsAHundredThousandRecords() throws Exception {
        // given
        Path file = dir.resolve("big.fasta");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= 100_000; i++) {
                out.write(">sp|Q" + i + "|BIG_" + i + " record " + i + "\nMKVLAAGLLLMKTAYIAKQRQISFVKSHFSRQ\nMKVLAAGLLL\n");
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
                .containsExactly(100_000L, "Q100000", 299_998L);
    }
}
