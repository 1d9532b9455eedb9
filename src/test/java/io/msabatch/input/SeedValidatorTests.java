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
    void refusesANonPositiveMaximum() {
        assertThatThrownBy(() -> new SeedValidator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
