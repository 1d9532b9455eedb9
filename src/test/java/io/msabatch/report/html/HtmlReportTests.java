package io.msabatch.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HtmlReportTests {

    private static final Pattern ROW_CHUNK = Pattern.compile("<script type=\"application/json\" class=\"report-rows\">(.*?)</script>");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private List<JsonNode> rowsOf(String page) {
        List<JsonNode> rows = new ArrayList<>();
        Matcher m = ROW_CHUNK.matcher(page);
        while (m.find()) {
            JSON.readTree(m.group(1)).forEach(rows::add);
        }
        return rows;
    }

    @Test
    void writesEveryRecordAndThePicturesUpToTheLimit() throws Exception {
        // given
        SampleRun run = new SampleRun(dir, 300);

        // when
        Path page = HtmlReport.write(dir.resolve("out"), SampleRun.summary(), run.rows(), 25);

        // then
        String html = Files.readString(page);
        List<JsonNode> rows = rowsOf(html);
        assertThat(rows).hasSize(300);
        assertThat(rows.get(0).get(1).asString()).isEqualTo("sp|P10000|GLB_0");
        assertThat(rows.get(0).get(11).asString()).isEqualTo("query-only");
        assertThat(rows.get(1).get(6).asInt()).isEqualTo(3);
        assertThat(rows.get(4).get(6).asInt()).isEqualTo(52);
        assertThat(rows.get(1).get(4).asString()).isEqualTo("msa/P10001.a3m");
        assertThat(html.split("class=\"report-picture\"", -1)).hasSize(26);
        assertThat(html).contains("<title>msa-batch report: globins &lt;nightly&gt;</title>");
        assertThat(page.getFileName().toString()).isEqualTo("report.html");
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.html");
        }
    }

    @Test
    void neverLetsTheDataCloseAScriptElement() throws Exception {
        // given an error text that would end the script element if written raw
        ReportRecords evil = each -> each.accept(new ReportRecord(1, "x</script><script>alert(1)</script>", "REJECTED",
                null, null, null, null, null, null, null, null, null, "</script>", null));

        // when
        String html = Files.readString(HtmlReport.write(dir, SampleRun.summary(), evil, 10));

        // then
        assertThat(html).doesNotContain("alert(1)</script>");
        assertThat(rowsOf(html).get(0).get(1).asString()).isEqualTo("x</script><script>alert(1)</script>");
    }

    @Test
    void asksForNothingOutsideThePage() throws Exception {
        String html = Files.readString(HtmlReport.write(dir, SampleRun.summary(), new SampleRun(dir, 20).rows(), 5));

        assertThat(html).contains("Content-Security-Policy\" content=\"default-src 'none';");
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?(https?:)?//");
        assertThat(html).doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?https?:");
        assertThat(html).doesNotContain("sourceMappingURL");
    }

    @Test
    void streamsAHundredThousandRecords() throws Exception {
        // given records made on the fly, never held together
        ReportRecords many = each -> {
            for (int i = 0; i < 100_000; i++) {
                boolean lonely = i % 4 == 0;
                each.accept(new ReportRecord(i + 1, "id" + i, "SUCCESS", "job-" + i, "id" + i + ".a3m", "submitted",
                        lonely ? 1 : 40 + i % 5000, lonely ? 1.0 : 5.0 + i % 900, false, 0.8, 0.1,
                        lonely ? "query-only" : null, null, null));
            }
        };

        // when
        Path page = HtmlReport.write(dir, SampleRun.summary(), many, 200);

        // then
        String html = Files.readString(page);
        assertThat(rowsOf(html)).hasSize(100_000);
        assertThat(html).contains("\"warnings\":{\"query-only\":25000}");
        assertThat(Files.size(page)).isLessThan(20_000_000);
    }

    @Test
    void binsDepthOnALogScaleAndFlagsTheShallowOnes() {
        // given
        Histogram neff = new Histogram("Neff", false, 1e7, 30, 30);
        Histogram depth = new Histogram("depth", true, 1e7, 2);
        for (double v : new double[] {1, 1.5, 3, 29.9, 30, 31, 120, 5_000}) {
            neff.add(v);
            depth.add(Math.round(v));
        }

        // then
        assertThat(neff.toJson()).isEqualTo("{\"title\":\"Neff\",\"labels\":[\"1–2\",\"2–5\",\"5–10\",\"10–20\",\"20–30\","
                + "\"30–50\",\"50–100\",\"100–200\",\"200–500\",\"500–1k\",\"1k–2k\",\"2k–5k\",\"5k–10k\"],"
                + "\"counts\":[2,1,0,0,1,2,0,1,0,0,0,0,1],"
                + "\"flagged\":[true,true,true,true,true,false,false,false,false,false,false,false,false]}");
        assertThat(depth.toJson()).startsWith("{\"title\":\"depth\",\"labels\":[\"1\",\"2–4\",\"5–9\",\"10–19\"")
                .contains("\"counts\":[1,2,0,0,3,0,1,").contains("\"flagged\":[true,false,");
    }
}
