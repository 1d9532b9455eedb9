package io.msabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.cli.CliRun;
import io.msabatch.emulator.Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run with default settings against a double of today's service as strict as the record shows it and in a bad
 * hour: only today's routes, 8 s tokens, half the MSAs as FASTA, new jobs invisible for a second, and 5% of POSTs
 * answered 503 after the job was stored, 3% of downloads 504, 3% 5xx and 3% 429 anywhere. 60 real UniProt sequences,
 * 5 of them repeated under other ids: every record must end SUCCESS and every distinct sequence be paid once.
 */
class TodaysServiceFunctionalTests {

    @TempDir
    Path dir;

    @Test
    void aDefaultRunInABadHourOfTodaysServiceGetsEveryRecordAndPaysEachSequenceOnce() throws Exception {
        // given
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("emulator.data-dir", dir.resolve("emulator").toString());
        settings.put("emulator.routes", "current");
        settings.put("emulator.token-ttl", "8s");
        settings.put("emulator.fasta-share", "0.5");
        settings.put("emulator.visibility-delay", "1s");
        settings.put("emulator.job-duration", "200ms-1s");
        settings.put("emulator.max-running-jobs-per-user", "20");
        settings.put("emulator.faults.http-5xx-after-create", "0.05");
        settings.put("emulator.faults.http-504", "0.03");
        settings.put("emulator.faults.http-5xx", "0.03");
        settings.put("emulator.faults.http-429", "0.03");
        Path input = sixtyRecords();
        Files.writeString(dir.resolve("cred.properties"), "username=demo\npassword=demo\n");
        try (Emulator.RunningEmulator emulator = Emulator.start(settings)) {
            // when: nothing but the service, the credentials, the input and the output are given
            CliRun r = CliRun.of("run", "--input=" + input, "--output=" + dir.resolve("out"),
                    "--openprotein.base-url=" + emulator.baseUrl(),
                    "--openprotein.credentials-file=" + dir.resolve("cred.properties"));

            // then
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
            List<CSVRecord> report = PipelineFunctionalTests.readCsv(dir.resolve("out/report.csv"));
            assertThat(report).hasSize(60).allSatisfy(x -> assertThat(x.get("status")).as(x.toString()).isEqualTo("SUCCESS"));
            JsonNode stats = stats(emulator);
            assertThat(stats.get("distinct_seeds").asLong()).isEqualTo(55);
            assertThat(stats.get("submissions").asLong()).as("jobs stored: each distinct sequence once").isEqualTo(55);
            assertThat(stats.get("seeds_submitted_more_than_once").asLong()).isZero();
            assertThat(stats.path("faults_injected").size()).as("the bad hour happened").isGreaterThan(0);
        }
    }

    /** The first 55 proteins of uniprot-queries-100.fasta, then 5 of them again under other ids. */
    private Path sixtyRecords() throws Exception {
        List<String[]> records = new ArrayList<>();
        String id = null;
        StringBuilder seq = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("input/uniprot-queries-100.fasta"))) {
            if (line.startsWith(">")) {
                if (id != null) {
                    records.add(new String[] {id, seq.toString()});
                }
                id = line.substring(1).split("\\s+")[0];
                seq.setLength(0);
            } else {
                seq.append(line.strip());
            }
        }
        records.add(new String[] {id, seq.toString()});
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 55; i++) {
            out.append('>').append(records.get(i)[0]).append('\n').append(records.get(i)[1]).append('\n');
        }
        for (int i = 0; i < 5; i++) {
            out.append(">again_").append(i).append('\n').append(records.get(i * 11)[1]).append('\n');
        }
        return Files.writeString(dir.resolve("sixty.fasta"), out);
    }

    private static JsonNode stats(Emulator.RunningEmulator emulator) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(r.body());
    }
}
