package io.msabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OutputFormatTests {

    @Test
    void parsesExtensionsNamesAndAliases() {
        assertThat(OutputFormat.parse("a3m")).isEqualTo(OutputFormat.A3M);
        assertThat(OutputFormat.parse(" FASTA ")).isEqualTo(OutputFormat.FASTA);
        assertThat(OutputFormat.parse("sto")).isEqualTo(OutputFormat.STOCKHOLM);
        assertThat(OutputFormat.parse("Stockholm")).isEqualTo(OutputFormat.STOCKHOLM);
        assertThat(OutputFormat.STOCKHOLM.extension()).isEqualTo("sto");
    }

    @Test
    void namesEveryAllowedValueForAWrongOne() {
        assertThatThrownBy(() -> OutputFormat.parse("clustal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown output format 'clustal'; use one of a3m, fasta, sto (or stockholm)");
    }

    @Test
    void springsBinderUsesTheParserForTheSetting() {
        // given
        Binder good = new Binder(new MapConfigurationPropertySource(Map.of("pipeline.output-format", "stockholm")));
        Binder bad = new Binder(new MapConfigurationPropertySource(Map.of("pipeline.output-format", "clustal")));

        // then
        assertThat(good.bind("pipeline.output-format", OutputFormat.class).get()).isEqualTo(OutputFormat.STOCKHOLM);
        assertThatThrownBy(() -> bad.bind("pipeline.output-format", OutputFormat.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("use one of a3m, fasta, sto (or stockholm)");
    }
}
