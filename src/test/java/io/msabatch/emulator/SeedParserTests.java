package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeedParserTests {

    @Test
    void takesTheFirstSequenceOfFastaCsvOrBareText() {
        assertThat(SeedParser.seed(">a desc\nmkt\nAYI\r\n>b\nWWW\n", 100)).isEqualTo("MKTAYI");
        assertThat(SeedParser.seed("a,mktayi\nb,WWW\n", 100)).isEqualTo("MKTAYI");
        assertThat(SeedParser.seed("name,sequence\na,MKT\n", 100)).isEqualTo("MKT");
        assertThat(SeedParser.seed("\uFEFF MKT AYI \n", 100)).isEqualTo("MKTAYI");
        assertThat(SeedParser.seed("MKTXBZUO:ACD", 100)).isEqualTo("MKTXBZUO:ACD");
    }

    @Test
    void rejectsEmptyInvalidOrTooLongSeedsWithA400() {
        for (String bad : new String[] {"", ">h\n", "MKT-AYI", "MKJ", "MK.T", "MK::T", "é", "a,"}) {
            assertThatThrownBy(() -> SeedParser.seed(bad, 100)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> SeedParser.seed("MKTAY:IK", 6)).hasMessageContaining("7 residues");
    }
}
