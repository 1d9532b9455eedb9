package io.msabatch.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SeedValidatorTests {

    private final SeedValidator validator = new SeedValidator(100);

    private static SeedRecord record(String id, String raw) {
        return new SeedRecord(1, 1, id, raw, Map.of());
    }

    @Test
    void normalisesWhitespaceCaseAndOneTerminalStop() {
        Validation v = validator.validate(record("P1", " mkv\tla\nAG LLL* "));

        assertThat(v.accepted()).isTrue();
        assertThat(v.sequence()).isEqualTo("MKVLAAGLLL");
        assertThat(v.reason()).isNull();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void acceptsAmbiguityCodesSelenocysteineAndPyrrolysine() {
        assertThat(validator.validate(record("P1", "MKXBZUOACDEFGHIKLMNPQRSTVWY")).accepted()).isTrue();
    }

    @Test
    void rejectsAnEmptySequence() {
        Validation v = validator.validate(record("P1", "  \n"));

        assertThat(v.accepted()).isFalse();
        assertThat(v.reason()).isEqualTo("empty sequence");
    }

    @Test
    void rejectsASequenceThatIsOnlyAStop() {
        assertThat(validator.validate(record("P1", "*")).reason()).isEqualTo("empty sequence");
    }

    @Test
    void namesTheBadLettersAndTheirPositions() {
        Validation v = validator.validate(record("P1", "MKVLAAGLLLM1KVLAAGLLLMKVLAAGL#L"));

        assertThat(v.accepted()).isFalse();
        assertThat(v.reason()).isEqualTo("letters not allowed in a protein sequence: '1' at position 12, '#' at 30");
    }

    @Test
    void capsTheListOfBadLetters() {
        Validation v = validator.validate(record("P1", "M1234567"));

        assertThat(v.reason()).isEqualTo(
                "letters not allowed in a protein sequence: '1' at position 2, '2' at 3, '3' at 4, '4' at 5, '5' at 6 and 2 more");
    }

    @Test
    void rejectsAStopInsideTheSequenceAndGaps() {
        assertThat(validator.validate(record("P1", "MK*VL")).reason()).contains("'*' at position 3");
        assertThat(validator.validate(record("P1", "MK-VL")).reason()).contains("'-' at position 3");
    }

    @Test
    void rejectsASequenceOverTheMaximumLength() {
        Validation v = new SeedValidator(10).validate(record("P1", "MKVLAAGLLLM"));

        assertThat(v.accepted()).isFalse();
        assertThat(v.reason()).isEqualTo("sequence is 11 residues, over the maximum of 10 (setting pipeline.max-length)");
    }

    @Test
    void rejectsAMissingIdTogetherWithOtherProblems() {
        Validation v = validator.validate(record(" ", ""));

        assertThat(v.reason()).isEqualTo("missing id; empty sequence");
    }

    @Test
    void warnsAboutNucleotideSequencesButAcceptsThem() {
        Validation v = validator.validate(record("N1", "ATGGCGTACGTTAGCATGCAAATTT"));

        assertThat(v.accepted()).isTrue();
        assertThat(v.warnings()).singleElement().asString().startsWith("looks like a nucleotide sequence (100%");
        assertThat(validator.validate(record("N2", "ACGTACGT")).warnings()).isEmpty();
        assertThat(validator.validate(record("P1", "MKVLAAGLLLMKTAYIAKQRQ")).warnings()).isEmpty();
    }

    @Test
    void acceptsTheChainsOfAComplexJoinedByAColonAndKeepsTheColon() {
        // given two chains joined with ':' (README: "chains of a complex may be joined with `:`"), in lower case
        // and spread over lines as a FASTA record may hold them
        SeedRecord complex = record("C1", "mkvlaag\nlll:MKTA yiak");

        // when
        Validation v = validator.validate(complex);

        // then: accepted and sent as is (chains still joined), not a bad letter
        assertThat(v.accepted()).as(v.reason()).isTrue();
        assertThat(v.sequence()).isEqualTo("MKVLAAGLLL:MKTAYIAK");
        assertThat(v.reason()).isNull();
        assertThat(v.warnings()).isEmpty();
        assertThat(validator.validate(record("C3", "MKV:LAA:GLL")).accepted()).isTrue();
    }

    @Test
    void rejectsAColonThatDoesNotJoinTwoChains() {
        // given a colon at the start, at the end, two in a row, or alone
        String reason = "a ':' must join two chains (none at the start or end, never two in a row)";

        // when / then
        assertThat(validator.validate(record("C1", "MKVLA::AGLLL"))).satisfies(v -> {
            assertThat(v.accepted()).isFalse();
            assertThat(v.reason()).isEqualTo(reason);
        });
        assertThat(validator.validate(record("C2", ":MKVLAAGLLL")).reason()).isEqualTo(reason);
        assertThat(validator.validate(record("C3", "MKVLAAGLLL:")).reason()).isEqualTo(reason);
        assertThat(validator.validate(record("C4", "MKVLAAGLLL:*")).reason()).as("the stop is dropped first")
                .isEqualTo(reason);
        assertThat(validator.validate(record("C5", ":")).reason()).isEqualTo(reason);
    }

    @Test
    void countsTheResiduesOfAComplexWithoutItsColons() {
        // given a maximum of 10 residues
        SeedValidator ten = new SeedValidator(10);

        // when / then: 5 + 5 residues fit, 5 + 6 do not, and the reason counts residues only
        assertThat(ten.validate(record("C1", "MKVLA:AGLLL")).accepted()).isTrue();
        assertThat(ten.validate(record("C2", "MKVLA:AGLLLM")).reason())
                .isEqualTo("sequence is 11 residues, over the maximum of 10 (setting pipeline.max-length)");
    }

    @Test
    void refusesANonPositiveMaximum() {
        assertThatThrownBy(() -> new SeedValidator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
