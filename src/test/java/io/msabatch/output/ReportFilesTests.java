package io.msabatch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTests {

    @TempDir
    Path dir;

    private static List<CSVRecord> parse(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file);
             CSVParser parser = CSVParser.builder().setReader(in)
                     .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return parser.getRecords();
        }
    }

    @Test
    void writesTheReportWithHeaderAndQuoting() throws Exception {
        // given
        List<ReportFiles.ReportRow> rows = List.of(
                new ReportFiles.ReportRow("P1", "DONE", "job-1", "msa/P1.a3m", "ab12", 1, null, 2),
                new ReportFiles.ReportRow("a,b \"x\"", "FAILED", null, null, "cd34", 3, "HTTP 500 on GET /jobs\nthen gave up", 7));

        // when
        ReportFiles.writeReport(dir, rows);

        // then
        Path report = dir.resolve("report.csv");
        String text = Files.readString(report);
        assertThat(text).startsWith("line,id,status,job_id,file,sequence_sha256,attempts,error,"
                + "origin,n_seq,neff,coverage_mean,coverage_min,msa_warning,warning\r\n");
        assertThat(text).contains("7,\"a,b \"\"x\"\"\",FAILED,,,cd34,3,HTTP 500 on GET /jobs then gave up,,,,,,,\r\n");
        List<CSVRecord> parsed = parse(report);
        assertThat(parsed).hasSize(2);
        assertThat(parsed.get(0).toMap()).containsEntry("line", "2").containsEntry("id", "P1").containsEntry("job_id", "job-1")
                .containsEntry("file", "msa/P1.a3m").containsEntry("attempts", "1").containsEntry("error", "");
        assertThat(parsed.get(1).get("id")).isEqualTo("a,b \"x\"");
        assertThat(listNames()).containsExactly("report.csv");
    }

    @Test
    void writesTheMsaQualityColumns() throws Exception {
        // given
        List<ReportFiles.ReportRow> rows = List.of(
                new ReportFiles.ReportRow("P1", "SUCCESS", "job-1", "P1.a3m", "ab", 1, null, 2, "submitted", 1, 1.0, 1.0, 1.0,
                        "query-only"),
                new ReportFiles.ReportRow("P2", "SUCCESS", "job-2", "P2.a3m", "cd", 1, null, 4, "reused", 5321, 812.3456,
                        0.81234, 0.0456, null));

        // when
        ReportFiles.writeReport(dir, rows);

        // then
        List<CSVRecord> parsed = parse(dir.resolve("report.csv"));
        assertThat(parsed.get(0).toMap()).containsEntry("origin", "submitted").containsEntry("n_seq", "1")
                .containsEntry("neff", "1.0").containsEntry("coverage_min", "1.000").containsEntry("msa_warning", "query-only");
        assertThat(parsed.get(1).toMap()).containsEntry("origin", "reused").containsEntry("n_seq", "5321")
                .containsEntry("neff", "812.3").containsEntry("coverage_mean", "0.812").containsEntry("coverage_min", "0.046")
                .containsEntry("msa_warning", "");
    }

    @Test
    void writesRejectsEvenWhenThereAreNone() throws Exception {
        ReportFiles.writeRejects(dir, List.of());

        assertThat(Files.readString(dir.resolve("rejects.csv"))).isEqualTo("line,id,reason\r\n");
    }

    @Test
    void writesRejectsInTheOrderGiven() throws Exception {
        ReportFiles.writeRejects(dir, List.of(new ReportFiles.RejectRow(3, "P2", "empty sequence"),
                new ReportFiles.RejectRow(9, "", "missing id; letters not allowed in a protein sequence: '1' at position 4")));

        List<CSVRecord> parsed = parse(dir.resolve("rejects.csv"));
        assertThat(parsed).extracting(r -> r.get("line")).containsExactly("3", "9");
        assertThat(parsed.get(1).get("reason")).isEqualTo("missing id; letters not allowed in a protein sequence: '1' at position 4");
    }

    @Test
    void prefixesEveryFieldAFormulaCouldStartWithAQuote() throws Exception {
        // given: the six prefixes; a leading tab or carriage return cannot come from an input file (such ids are
        // rejected, and reasons are made one line and stripped), so those two are written here directly
        List<ReportFiles.RejectRow> rows = List.of(new ReportFiles.RejectRow(2, "=1+2", "+x"),
                new ReportFiles.RejectRow(3, "-1", "@SUM(1)"), new ReportFiles.RejectRow(4, "\t=1", "-reason"),
                new ReportFiles.RejectRow(5, "\r=2", "fine"), new ReportFiles.RejectRow(6, "a-1", "fine"));

        // when
        ReportFiles.writeRejects(dir, rows);

        // then
        List<CSVRecord> parsed = parse(dir.resolve("rejects.csv"));
        assertThat(parsed).extracting(r -> r.get("id")).containsExactly("'=1+2", "'-1", "\\t=1", "\\r=2", "a-1");
        // (a tab or carriage return is shown as an escape, so no field starts with one)
        assertThat(parsed).extracting(r -> r.get("reason")).containsExactly("'+x", "'@SUM(1)", "'-reason", "fine",
                "fine");
    }

    @Test
    void replacesAnOlderReportWholly() throws Exception {
        ReportFiles.writeReport(dir, List.of(new ReportFiles.ReportRow("P1", "PENDING", null, null, "x", 0, null, 2),
                new ReportFiles.ReportRow("P2", "PENDING", null, null, "y", 0, null, 3)));

        ReportFiles.writeReport(dir, List.of(new ReportFiles.ReportRow("P1", "DONE", "j", "P1.a3m", "x", 1, null, 2)));

        assertThat(parse(dir.resolve("report.csv"))).singleElement().extracting(r -> r.get("status")).isEqualTo("DONE");
        assertThat(listNames()).containsExactly("report.csv");
    }

    @Test
    void createsTheOutputDirectory() throws Exception {
        Path out = dir.resolve("new/out");

        ReportFiles.writeRejects(out, List.of());

        assertThat(out.resolve("rejects.csv")).exists();
    }

    private List<String> listNames() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
