package io.msabatch.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser (Debian's Chromium, headless): no console error, no request leaves the page, the table
 * shows, filters and pages records, the charts and pictures draw. Skipped when Chromium is not installed. With
 * {@code -Dmsabatch.report-screenshot=docs/report-screenshot.png} it also saves the screenshot there.
 */
class ReportBrowserIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void rendersTheReportOfThreeHundredRecordsWithoutAnError() throws Exception {
        String chromium = HeadlessChromium.executable();
        assumeTrue(chromium != null, "chromium is not on PATH (install the Debian package 'chromium'): browser check skipped");

        // given 300 records, a third of the MSAs query-only, some rejected or failed
        SampleRun run = new SampleRun(dir, 300);
        Path page = HtmlReport.write(dir.resolve("out"), run.summaryOfRun(), run.rows(), 200);

        try (HeadlessChromium browser = new HeadlessChromium(chromium, Files.createDirectories(dir.resolve("profile")), 1280, 900)) {
            // when
            browser.open(page.toUri());
            browser.waitFor("document.body.dataset.ready === 'true'", Duration.ofSeconds(30));

            // then the first page of the table, the histograms and four pictures are drawn
            assertThat(browser.eval("document.querySelectorAll('#records-body tr').length").asInt()).isEqualTo(50);
            assertThat(browser.eval("document.getElementById('records-shown').textContent").asString())
                    .isEqualTo("records 1–50 of 300");
            assertThat(browser.eval("document.querySelector('#records-body tr td:nth-child(2) a').getAttribute('href')").asString())
                    .isEqualTo("msa/P10000.a3m");
            assertThat(browser.eval("Chart.getChart('chart-depth').data.datasets[0].data.reduce((a, b) => a + b, 0)").asInt())
                    .isEqualTo(count(run, "SUCCESS"));
            assertThat(browser.eval("document.querySelectorAll('#pictures-grid canvas').length").asInt()).isEqualTo(4);
            assertThat(browser.eval("Chart.getChart(document.querySelector('#pictures-grid canvas')).data.datasets[1].data.length")
                    .asInt()).isGreaterThan(0);
            assertThat(browser.eval("document.getElementById('count-query-only').textContent").asString())
                    .isEqualTo(String.valueOf(run.count("query-only")));

            // and filtering by warning shows only those records
            browser.eval("(() => { const s = document.getElementById('filter-warning'); s.value = 'query-only';"
                    + " s.dispatchEvent(new Event('change')); })()");
            assertThat(browser.eval("[...document.querySelectorAll('#records-body tr td:nth-child(9)')].every(td => td.textContent === 'query-only')")
                    .asBoolean()).isTrue();
            assertThat(browser.eval("document.getElementById('records-shown').textContent").asString())
                    .isEqualTo("records 1–50 of " + run.count("query-only") + " (filtered from 300)");

            // and sorting by Neff (twice: descending) puts the deepest first; paging moves on
            browser.eval("(() => { const s = document.getElementById('filter-warning'); s.value = '';"
                    + " s.dispatchEvent(new Event('change')); const th = document.querySelector('th[data-field=\"7\"]');"
                    + " th.click(); th.click(); document.getElementById('page-next').click(); })()");
            assertThat(browser.eval("document.getElementById('records-shown').textContent").asString())
                    .isEqualTo("records 51–100 of 300");

            // and nothing went wrong or left the page
            browser.eval("(() => { const s = document.getElementById('filter-warning'); s.value = '';"
                    + " s.dispatchEvent(new Event('change')); const p = document.getElementById('page-size'); p.value = '10';"
                    + " p.dispatchEvent(new Event('change')); window.scrollTo(0, 0); })()");
            assertThat(browser.eval("document.querySelectorAll('#records-body tr').length").asInt()).isEqualTo(10);
            byte[] png = browser.screenshot(0.6);
            assertThat(browser.errors).isEmpty();
            assertThat(browser.requests).allMatch(url -> url.equals(page.toUri().toString()) || url.startsWith("data:"));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            String target = System.getProperty("msabatch.report-screenshot");
            if (target != null && !target.isBlank()) {
                Files.write(Path.of(target), png);
            }
        }
    }

    private static long count(SampleRun run, String status) {
        long[] n = {0};
        run.rows().forEach(r -> {
            if (status.equals(r.status())) {
                n[0]++;
            }
        });
        return n[0];
    }
}
