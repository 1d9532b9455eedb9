package io.msabatch.report.html;

import io.msabatch.ledger.RecordState;
import io.msabatch.output.MsaFiles;
import io.msabatch.output.OutputFormat;
import io.msabatch.quality.MsaScan;
import io.msabatch.quality.MsaScanner;
import io.msabatch.quality.QualitySettings;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run's worth of report records made from real MSAs (the output package's test data, scanned for real) and a few
 * outcomes without a file: what report.html tests render.
 */
final class SampleRun {

    final List<MsaScan> scans;
    final int records;

    SampleRun(Path dir, int records) throws Exception {
        this.records = records;
        Path lonely = resource("real-query-only.csv");
        Path b = MsaFiles.write(lonely, "lonely", seedOf(lonely), dir.resolve("lonely.a3m"), OutputFormat.A3M).path();
        List<MsaScan> made = new java.util.ArrayList<>();
        made.add(MsaScanner.scan(b, OutputFormat.A3M, QualitySettings.defaults()));
        // MSAs of several depths: the real 52-row MSA and its first 3, 8, 20 rows
        Path deep = resource("real-52-rows.csv");
        List<String> lines = Files.readAllLines(deep);
        for (int rows : new int[] {52, 3, 8, 20}) {
            Path part = Files.write(dir.resolve("part" + rows + ".csv"), lines.subList(0, rows));
            Path a = MsaFiles.write(part, "deep", seedOf(deep), dir.resolve("deep" + rows + ".a3m"), OutputFormat.A3M).path();
            made.add(MsaScanner.scan(a, OutputFormat.A3M, QualitySettings.defaults()));
        }
        this.scans = List.copyOf(made);
    }

    /** Every 7th record fails in some way, every 3rd MSA is query-only. */
    ReportRecords rows() {
        return each -> {
            for (int i = 0; i < records; i++) {
                each.accept(record(i));
            }
        };
    }

    /** How many records {@link #rows()} gives with {@code warning}. */
    long count(String warning) {
        long[] n = {0};
        rows().forEach(r -> {
            if (warning.equals(r.warning())) {
                n[0]++;
            }
        });
        return n[0];
    }

    ReportRecord record(int i) {
        String id = "sp|P" + (10000 + i) + "|GLB_" + i;
        if (i % 7 == 3) {
            return new ReportRecord(2L * i + 1, id, "REJECTED", null, null, null, null, null, null, null, null, null,
                    "letters not allowed in a protein sequence: '<1>' at position 4", null);
        }
        if (i % 7 == 5) {
            return new ReportRecord(2L * i + 1, id, "FAILURE", "job-" + i, null, "submitted", null, null, null, null, null,
                    null, "job ended FAILURE: out of memory", null);
        }
        MsaScan scan = i % 3 == 0 ? scans.get(0) : scans.get(1 + i % 4);
        var q = scan.quality();
        String warning = q.warning(30) == null ? null : q.warning(30).code();
        String origin = i % 10 == 1 ? "reused" : i % 10 == 2 ? "adopted" : "submitted";
        return new ReportRecord(2L * i + 1, id, "SUCCESS", "job-" + i, "msa/P" + (10000 + i) + ".a3m", origin,
                q.sequences(), q.neff(), q.neffEstimated(), q.coverageMean(), q.coverageMin(), warning, null, scan.picture());
    }

    /** The summary of a run of these records. */
    RunSummary summaryOfRun() {
        Map<RecordState, Long> counts = new LinkedHashMap<>();
        rows().forEach(r -> counts.merge(RecordState.valueOf(r.status()), 1L, Long::sum));
        return summary(counts);
    }

    static RunSummary summary() {
        Map<RecordState, Long> counts = new LinkedHashMap<>();
        counts.put(RecordState.SUCCESS, 3L);
        counts.put(RecordState.REJECTED, 1L);
        counts.put(RecordState.FAILURE, 1L);
        return summary(counts);
    }

    private static RunSummary summary(Map<RecordState, Long> counts) {
        Instant start = Instant.parse("2026-12-01T02:00:00Z");
        return new RunSummary("globins <nightly>", "input/globins.fasta", "a3m", start, start.plusSeconds(754),
                Duration.ofSeconds(754), 1234L, counts, 30);
    }

    static Path resource(String name) {
        try {
            return Path.of(SampleRun.class.getResource("/io/msabatch/output/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String seedOf(Path csv) throws Exception {
        String first = Files.readAllLines(csv).get(0);
        return first.substring(first.indexOf(',') + 1).strip();
    }

    static void forEach(ReportRecords records, Consumer<ReportRecord> each) {
        records.forEach(each);
    }
}
