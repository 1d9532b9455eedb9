package io.msabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafeNamesTests {

    private static final String SAFE = "[A-Za-z0-9._-]+";

    @Test
    void keepsPlainIds() {
        assertThat(SafeNames.of("P12345")).isEqualTo("P12345");
        assertThat(SafeNames.of("NP_001.2")).isEqualTo("NP_001.2");
        assertThat(SafeNames.of("a-b_c")).isEqualTo("a-b_c");
    }

    @Test
    void replacesPathSeparators() {
        assertThat(SafeNames.of("a/b")).isEqualTo("a_b");
        assertThat(SafeNames.of("a\\b")).isEqualTo("a_b");
        assertThat(SafeNames.of("sp|P1|X")).isEqualTo("sp_P1_X");
    }

    @Test
    void neverClimbsOutOfTheDirectory() {
        String name = SafeNames.of("../etc/passwd");

        assertThat(name).isEqualTo("_._etc_passwd").doesNotContain("..").doesNotContain("/").doesNotStartWith(".");
        assertThat(SafeNames.of("..")).isEqualTo("__");
        assertThat(SafeNames.of(".")).isEqualTo("_");
        assertThat(SafeNames.of("a..b")).isEqualTo("a._b");
    }

    @Test
    void neverStartsOrEndsWithADot() {
        assertThat(SafeNames.of(".hidden")).isEqualTo("_hidden");
        assertThat(SafeNames.of("name.")).isEqualTo("name_");
    }

    @Test
    void neverStartsWithADash() {
        assertThat(SafeNames.of("-1+2")).isEqualTo("_1_2");
        assertThat(SafeNames.of("--rf")).isEqualTo("_-rf");
        assertThat(SafeNames.of("a-1")).isEqualTo("a-1");
        assertThat(SafeNames.withSuffix(SafeNames.of("-x"), 2)).isEqualTo("_x--2");
    }

    @Test
    void replacesUnicodeAndSpacesOnePerCharacter() {
        assertThat(SafeNames.of("Protéine α 1")).isEqualTo("Prot_ine___1");
        assertThat(SafeNames.of("😀x")).isEqualTo("_x");
        assertThat(SafeNames.of("tab\there")).isEqualTo("tab_here");
    }

    @Test
    void neverAnswersEmpty() {
        assertThat(SafeNames.of("")).isEqualTo("record");
        assertThat(SafeNames.of(null)).isEqualTo("record");
    }

    @Test
    void avoidsWindowsDeviceNames() {
        assertThat(SafeNames.of("CON")).isEqualTo("CON_");
        assertThat(SafeNames.of("nul.txt")).isEqualTo("nul_.txt");
        assertThat(SafeNames.of("CONSENSUS")).isEqualTo("CONSENSUS");
    }

    @Test
    void boundsLongIdsAndKeepsThemApart() {
        String a = "A".repeat(300) + "1";
        String b = "A".repeat(300) + "2";

        assertThat(SafeNames.of(a)).hasSize(SafeNames.MAX_LENGTH).matches(SAFE).startsWith("AAAA");
        assertThat(SafeNames.of(a)).isNotEqualTo(SafeNames.of(b));
        assertThat(SafeNames.of(a)).isEqualTo(SafeNames.of(a));
        assertThat(SafeNames.of("A".repeat(SafeNames.MAX_LENGTH))).isEqualTo("A".repeat(SafeNames.MAX_LENGTH));
    }

    @Test
    void addsClashNumbersWithADoubleDash() {
        assertThat(SafeNames.withSuffix("abc", 2)).isEqualTo("abc--2");
        assertThat(SafeNames.withSuffix("abc", 17)).isEqualTo("abc--17");
        assertThat(SafeNames.withSuffix(SafeNames.of("B".repeat(400)), 3)).hasSize(SafeNames.MAX_LENGTH).endsWith("--3").matches(SAFE);
        assertThatThrownBy(() -> SafeNames.withSuffix("abc", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alwaysAnswersASafeName() {
        for (String id : new String[] {"a/b", "../etc/passwd", ".hidden", "sp|P1|X", "ünï cödé", " ", "\u0000", "C:\\x", "~user"}) {
            assertThat(SafeNames.of(id)).as(id).matches(SAFE).doesNotStartWith(".").doesNotContain("..");
        }
    }
}
