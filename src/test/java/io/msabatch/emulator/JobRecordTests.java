package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobRecordTests {

    @Test
    void writesDatesAsPythonsIsoformatOfANaiveUtcTime() {
        assertThat(JobRecord.iso(JobRecord.micros(Instant.parse("2026-12-01T20:01:02.123456Z"))))
                .isEqualTo("2026-12-01T20:01:02.123456");
        assertThat(JobRecord.iso(JobRecord.micros(Instant.parse("2026-12-01T20:01:02.000120Z"))))
                .isEqualTo("2026-12-01T20:01:02.000120");
        // isoformat() leaves the fraction out when the microseconds are zero
        assertThat(JobRecord.iso(JobRecord.micros(Instant.parse("2026-01-02T03:04:05Z"))))
                .isEqualTo("2026-01-02T03:04:05");
        assertThat(JobRecord.iso(null)).isNull();
    }

    @Test
    void writesTheJobObjectWithEveryFieldOfTheContract() {
        // given
        JobRecord job = new JobRecord(7, "6f1c3a5e-0000-4000-8000-000000000001", "demo", JobRecord.ALIGN, "FAILURE",
                JobRecord.micros(Instant.parse("2026-12-01T20:01:02.5Z")), null, null, null, 12, "a \"quoted\" reason",
                true, "seed.fasta", null);
        // when
        String json = job.toJson();
        // then
        assertThat(EmulatorClient.JSON.readTree(json).propertyNames()).containsExactly("job_id", "job_type", "status",
                "created_date", "start_date", "end_date", "prerequisite_job_id", "progress_message",
                "progress_counter", "num_records", "sequence_length", "failure_message", "msa_id");
        assertThat(json).contains("\"created_date\":\"2026-12-01T20:01:02.500000\"", "\"progress_counter\":null",
                "\"failure_message\":\"a \\\"quoted\\\" reason\"", "\"msa_id\":\"6f1c3a5e-0000-4000-8000-000000000001\"");
    }
}
