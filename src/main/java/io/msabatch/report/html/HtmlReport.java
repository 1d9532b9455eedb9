package io.msabatch.report.html;

import io.msabatch.ledger.RecordState;
import io.msabatch.quality.CoveragePicture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code report.html}: one self-contained page (its scripts, styles and data inlined; a Content-Security-Policy
 * forbids every request, so it opens offline and leaks nothing) with the run's summary, histograms of MSA depth and
 * Neff, a table of every record (sortable, filterable by outcome and warning, paged, each id linking to its file) and
 * ColabFold-style coverage pictures of the records that carry one. Streams: records are written as JSON chunks as they
 * come, so memory does not grow with their number; the histograms and counts go at the end. Written to a temporary
 * file and renamed into place. The class is stateless; one {@link Page} is written by one thread.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";

    private static final int ROWS_PER_CHUNK = 1_000;
    private static final String RESOURCES = "/io/msabatch/report/html/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    /**
     * Writes {@code <outputDir>/report.html} from {@code summary} and one walk over {@code records}; at most
     * {@code maxPictures} records' pictures are embedded (the first that carry one), the others are ignored.
     */
    public static Path write(Path outputDir, RunSummary summary, ReportRecords records, int maxPictures) {
        try (Page page = open(outputDir, summary, maxPictures)) {
            records.forEach(page::add);
            return page.commit();
        }
    }

    /**
     * Starts {@code <outputDir>/report.html} (in a temporary file) for records to be {@link Page#add added} one at a
     * time, so that one walk over a run's records can feed this page and the other reports.
     */
    public static Page open(Path outputDir, RunSummary summary, int maxPictures) {
        PartialFile file = PartialFile.create(outputDir, FILE);
        try {
            writeHead(file.writer(), summary);
            return new Page(file, summary, maxPictures);
        } catch (IOException e) {
            file.close();
            throw file.failure(e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * A report.html being written: {@link #add} the records in the order to show, then {@link #commit} renames it into
     * place; closed without a commit, it is deleted. A write error is kept and thrown by {@code commit}. Not
     * thread-safe.
     */
    public static final class Page implements AutoCloseable {

        private final PartialFile file;
        private final Writer out;
        private final int maxPictures;
        private final Histogram depth;
        private final Histogram neff;
        private final Map<String, Long> statuses = new TreeMap<>();
        private final Map<String, Long> warnings = new TreeMap<>();
        private final List<Object[]> chunk = new ArrayList<>(ROWS_PER_CHUNK);
        private long rows;
        private long msas;
        private int pictures;
        private IOException failure;

        private Page(PartialFile file, RunSummary s, int maxPictures) {
            this.file = file;
            this.out = file.writer();
            this.maxPictures = maxPictures;
            this.depth = new Histogram("sequences per MSA", true, 1e7, 2);
            this.neff = new Histogram("Neff per MSA", false, 1e7, s.shallowNeff(), s.shallowNeff());
        }

        /** Whether the next record's picture, if it has one, would be embedded (so that it is worth reading). */
        public boolean wantsPicture() {
            return pictures < maxPictures;
        }

        /** The next record of the table, in the order to show. */
        public void add(ReportRecord r) {
            if (failure != null) {
                return;
            }
            try {
                int index = (int) rows++;
                statuses.merge(String.valueOf(r.status()), 1L, Long::sum);
                if (r.warning() != null) {
                    warnings.merge(r.warning(), 1L, Long::sum);
                }
                if (r.sequences() != null) {
                    msas++;
                    depth.add(r.sequences());
                }
                if (r.neff() != null) {
                    neff.add(r.neff());
                }
                int picture = -1;
                CoveragePicture p = r.picture();
                if (p != null && pictures < maxPictures) {
                    pictures++;
                    picture = index;
                    out.write("<script type=\"application/json\" class=\"report-picture\">{\"row\":" + index
                            + ",\"picture\":" + p.toJson() + "}</script>\n");
                }
                chunk.add(new Object[] {r.line(), r.id(), r.status(), r.jobId(), r.file(), r.origin(), r.sequences(),
                        round(r.neff(), 10), Boolean.TRUE.equals(r.neffEstimated()) ? 1 : 0, round(r.coverageMean(), 1000),
                        round(r.coverageMin(), 1000), r.warning(), r.error(), picture});
                if (chunk.size() == ROWS_PER_CHUNK) {
                    writeChunk(out, chunk);
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        /** Writes the histograms, counts and scripts, and renames the page into place. */
        public Path commit() {
            try {
                if (failure != null) {
                    throw failure;
                }
                writeChunk(out, chunk);
                out.write("<script type=\"application/json\" id=\"report-meta\">");
                out.write(scriptSafe("{\"depth\":" + depth.toJson() + ",\"neff\":" + neff.toJson() + ",\"statuses\":"
                        + JSON.writeValueAsString(statuses) + ",\"warnings\":" + JSON.writeValueAsString(warnings)
                        + ",\"msas\":" + msas + "}"));
                out.write("</script>\n<script>\n");
                out.write(resource("chart.umd.min.js"));
                out.write("\n</script>\n<script>\n");
                out.write(resource("chartjs-chart-matrix.min.js"));
                out.write("\n</script>\n<script>\n");
                out.write(resource("report.js"));
                out.write("</script>\n</body>\n</html>\n");
                return file.commit();
            } catch (IOException e) {
                throw file.failure(e);
            } finally {
                close();
            }
        }

        /** Drops the page unless it was committed. */
        @Override
        public void close() {
            file.close();
        }
    }

    private static void writeHead(Writer out, RunSummary s) throws IOException {
        String title = "msa-batch report: " + nullToDash(s.pipeline());
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; img-src data:\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.write("<title>" + html(title) + "</title>\n<style>\n");
        out.write(resource("report.css"));
        out.write("</style>\n</head>\n<body>\n");
        writeSummary(out, s, title);
        out.write("""
                <h2>Depth</h2>
                <div class="charts">
                <div class="chart"><canvas id="chart-depth" role="img" aria-label="histogram of MSA depth"></canvas></div>
                <div class="chart"><canvas id="chart-neff" role="img" aria-label="histogram of Neff"></canvas></div>
                </div>
                <p class="note">Orange bars: below the shallow threshold. Neff: each sequence weighted by 1 / (sequences,
                itself included, at least 80% identical to it over the query columns where both have a residue).
                A * marks an estimate (very deep MSAs).</p>
                <h2>Records</h2>
                <div class="controls">
                <label>Outcome <select id="filter-status"><option value="">all</option></select></label>
                <label>Warning <select id="filter-warning"><option value="">all</option><option value="any">any warning</option>
                <option value="query-only">query-only</option><option value="shallow">shallow</option><option value="none">none</option></select></label>
                <label>Id <input id="filter-id" type="search" placeholder="contains"></label>
                <label>Per page <select id="page-size"><option>10</option><option>25</option><option selected>50</option>
                <option>100</option><option>500</option></select></label>
                <button id="page-prev" type="button">&larr; previous</button><span id="page-label"></span>
                <button id="page-next" type="button">next &rarr;</button><span id="records-shown"></span>
                </div>
                <table id="records"><thead><tr>
                <th data-field="0">line</th><th data-field="1">id</th><th data-field="2">outcome</th><th data-field="5">origin</th>
                <th data-field="6">sequences</th><th data-field="7">Neff</th><th data-field="9">coverage mean</th>
                <th data-field="10">coverage min</th><th data-field="11">warning</th><th>picture</th><th data-field="3">job</th>
                <th data-field="12">error</th></tr></thead><tbody id="records-body"></tbody></table>
                <h2>Coverage</h2>
                <p class="note">Each picture shows a sample of the MSA's sequences sorted by identity to the query (highest at the
                bottom), drawn where they have residues (gaps white) and coloured by that identity
                <span class="legend">0 <span class="bar"></span> 1</span>; the black line is the number of sequences with a
                residue at each position of the query.</p>
                <div class="controls"><button id="pictures-prev" type="button">&larr; previous</button><span id="pictures-label"></span>
                <button id="pictures-next" type="button">next &rarr;</button></div>
                <div class="pictures" id="pictures-grid"></div>
                """);
    }

    private static void writeSummary(Writer out, RunSummary s, String title) throws IOException {
        out.write("<h1>" + html(title) + "</h1>\n<table class=\"summary\">\n");
        row(out, "input", s.input());
        row(out, "alignment format", s.outputFormat());
        row(out, "started", s.started() == null ? null : TIME.format(s.started()));
        row(out, "ended", s.ended() == null ? null : TIME.format(s.ended()));
        row(out, "elapsed", s.elapsed() == null ? null : duration(s.elapsed()));
        row(out, "requests to the service", s.requests() == null ? null : String.format(Locale.ROOT, "%,d", s.requests()));
        out.write("</table>\n<div class=\"counts\">\n");
        if (s.counts() != null) {
            for (Map.Entry<RecordState, Long> e : s.counts().entrySet()) {
                String kind = e.getKey() == RecordState.SUCCESS ? "" : e.getValue() > 0 ? " bad" : "";
                out.write("<div class=\"count" + kind + "\"><b>" + String.format(Locale.ROOT, "%,d", e.getValue()) + "</b>"
                        + html(e.getKey().name()) + "</div>\n");
            }
        }
        out.write("<div class=\"count\"><b id=\"count-msas\">0</b>MSAs</div>\n");
        out.write("<div class=\"count warn\"><b id=\"count-query-only\">0</b>query only</div>\n");
        out.write("<div class=\"count warn\"><b id=\"count-shallow\">0</b>shallow (Neff &lt; "
                + html(number(s.shallowNeff())) + ")</div>\n</div>\n");
    }

    private static void row(Writer out, String name, String value) throws IOException {
        out.write("<tr><th>" + html(name) + "</th><td>" + html(nullToDash(value)) + "</td></tr>\n");
    }

    private static void writeChunk(Writer out, List<Object[]> chunk) throws IOException {
        if (chunk.isEmpty()) {
            return;
        }
        out.write("<script type=\"application/json\" class=\"report-rows\">");
        out.write(scriptSafe(JSON.writeValueAsString(chunk)));
        out.write("</script>\n");
        chunk.clear();
    }

    /** JSON inside a script element: {@code <} only occurs in strings, where {@code \u003c} means the same. */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    static String html(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Double round(Double v, int scale) {
        return v == null ? null : Math.round(v * scale) / (double) scale;
    }

    private static String nullToDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    private static String number(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
