package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WireFormatTests {

    @Test
    void parsesDatesWithAndWithoutOffset() {
        assertThat(WireFormat.instant("2024-05-01T12:30:00")).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(WireFormat.instant("2024-05-01T12:30:00.123456")).isEqualTo(Instant.parse("2024-05-01T12:30:00.123456Z"));
        assertThat(WireFormat.instant("2024-05-01T12:30:00Z")).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(WireFormat.instant("2024-05-01T14:30:00+02:00")).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(WireFormat.instant("2024-05-01 12:30:00.5+00:00")).isEqualTo(Instant.parse("2024-05-01T12:30:00.5Z"));
    }

    @Test
    void readsTheCommonShapeByPositionExactlyAsTheFormatterDoes() {
        java.util.Random random = new java.util.Random(7);
        String[] zones = {"", "Z", "+00:00", "+02:00", "-05:30", "+14:00", "-12:00"};
        for (int k = 0; k < 5_000; k++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10); // 0 = no fraction
            String zone = zones[random.nextInt(zones.length)];
            java.time.ZoneOffset offset = zone.isEmpty() || zone.equals("Z") ? java.time.ZoneOffset.UTC
                    : java.time.ZoneOffset.of(zone);
            String text = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'" + (k % 2 == 0 ? "T" : " ") + "'HH:mm:ss")
                    .format(at.atOffset(offset))
                    + (digits == 0 ? "" : "." + String.format("%09d", at.getNano()).substring(0, digits)) + zone;
            Instant expected = java.time.format.DateTimeFormatter.ISO_DATE_TIME.parse(text.replace(' ', 'T'),
                    t -> t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS) ? java.time.OffsetDateTime.from(t).toInstant()
                            : java.time.LocalDateTime.from(t).toInstant(java.time.ZoneOffset.UTC));
            assertThat(WireFormat.plainInstant(text)).as(text).isEqualTo(expected);
            assertThat(WireFormat.instant(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void leavesOtherShapesToTheFormatter() {
        // no seconds, a zone id, a 4-digit offset, ten fraction digits, an impossible day, a letter, a bare point
        assertThat(WireFormat.plainInstant("2024-05-01T12:30Z")).isNull();
        assertThat(WireFormat.instant("2024-05-01T12:30Z")).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(WireFormat.plainInstant("2024-05-01T14:30:00+02:00[Europe/Paris]")).isNull();
        assertThat(WireFormat.instant("2024-05-01T14:30:00+02:00[Europe/Paris]")).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(WireFormat.plainInstant("2024-05-01T12:30:00+0200")).isNull();
        assertThat(WireFormat.plainInstant("2024-05-01T12:30:00.1234567890")).isNull();
        assertThat(WireFormat.instant("2024-05-01T12:30:00.1234567890")).isNull();
        assertThat(WireFormat.plainInstant("2024-02-30T12:30:00")).isNull();
        assertThat(WireFormat.instant("2024-02-30T12:30:00")).isNull();
        assertThat(WireFormat.plainInstant("2024-05-01T12:3a:00")).isNull();
        assertThat(WireFormat.plainInstant("2024-05-01T12:30:00.")).isNull();
    }

    @Test
    void readsUnreadableOrMissingDatesAsNull() {
        assertThat(WireFormat.instant(null)).isNull();
        assertThat(WireFormat.instant("yesterday")).isNull();
    }

    @Test
    void mapsKnownStatusesAndTerminality() {
        assertThat(WireFormat.status("PENDING")).isEqualTo(JobStatus.PENDING);
        assertThat(WireFormat.status("success")).isEqualTo(JobStatus.SUCCESS);
        assertThat(JobStatus.PENDING.isTerminal()).isFalse();
        assertThat(JobStatus.RUNNING.isTerminal()).isFalse();
        assertThat(JobStatus.RETRYING.isTerminal()).isFalse();
        assertThat(JobStatus.SUCCESS.isTerminal()).isTrue();
        assertThat(JobStatus.FAILURE.isTerminal()).isTrue();
        assertThat(JobStatus.CANCELED.isTerminal()).isTrue();
    }

    @Test
    void mapsUnknownStatusToNonTerminalUnknown() {
        assertThat(WireFormat.status("SUSPENDED")).isEqualTo(JobStatus.UNKNOWN);
        assertThat(WireFormat.status("UNKNOWN")).isEqualTo(JobStatus.UNKNOWN);
        assertThat(WireFormat.status(null)).isEqualTo(JobStatus.UNKNOWN);
        assertThat(JobStatus.UNKNOWN.isTerminal()).isFalse();
    }

    @Test
    void readsJobIgnoringUnknownFieldsAndKeepingRawStatus() {
        // given
        String json = """
                {"job_id":"b6f0c7a2-1111-4a4a-9c9c-000000000001","job_type":"/align/align","status":"FAILURE",
                 "created_date":"2024-05-01T12:30:00","end_date":"2024-05-01T12:31:00+00:00",
                 "failure_message":"seed too long","progress_counter":"100","brand_new_field":{"x":[1,2]}}""";

        // when
        Job job = WireFormat.job(WireFormat.parse(json.getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(job.jobId()).isEqualTo("b6f0c7a2-1111-4a4a-9c9c-000000000001");
        assertThat(job.status()).isEqualTo(JobStatus.FAILURE);
        assertThat(job.rawStatus()).isEqualTo("FAILURE");
        assertThat(job.failureMessage()).isEqualTo("seed too long");
        assertThat(job.createdDate()).isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
        assertThat(job.endDate()).isEqualTo(Instant.parse("2024-05-01T12:31:00Z"));
        assertThat(job.startDate()).isNull();
        assertThat(job.progressCounter()).isEqualTo(100);
    }

    @Test
    void readsDetailInStringAndFastApiListForms() {
        assertThat(WireFormat.detail("{\"detail\":\"Job not found\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("Job not found");
        assertThat(WireFormat.detail(("{\"detail\":[{\"loc\":[\"body\",\"msa_file\"],\"msg\":\"Field required\","
                + "\"type\":\"missing\"}]}").getBytes(StandardCharsets.UTF_8))).isEqualTo("body.msa_file: Field required");
        assertThat(WireFormat.detail("<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("<html>Bad gateway</html>");
        assertThat(WireFormat.detail(new byte[0])).isNull();
    }

    @Test
    void readsTheFirstSequenceOfCsvFastaOrBareSeed() {
        assertThat(WireFormat.firstSequence("101,MKTAYIAK\n102,MKTAYIAR\n")).isEqualTo("MKTAYIAK");
        assertThat(WireFormat.firstSequence(">seed\nmkta yiak\nQQ\n>other\nAAAA\n")).isEqualTo("MKTAYIAKQQ");
        assertThat(WireFormat.firstSequence("  MKTAYIAK:GGSG\r\n")).isEqualTo("MKTAYIAK:GGSG");
        assertThat(WireFormat.firstSequence("\n\n")).isNull();
    }
}
