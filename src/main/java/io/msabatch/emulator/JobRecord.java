package io.msabatch.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** One job as stored; {@link #toJson()} gives the contract's job object. */
record JobRecord(String jobId, String username, String jobType, String status, long createdUs, Long startUs,
        Long endUs, int progressCounter, Integer numRecords, int sequenceLength, String failureMessage) {

    static final String ALIGN = "/align/align";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    static String iso(Long micros) {
        if (micros == null) {
            return null;
        }
        return ISO.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", jobId);
        m.put("job_type", jobType);
        m.put("status", status);
        m.put("created_date", iso(createdUs));
        m.put("start_date", iso(startUs));
        m.put("end_date", iso(endUs));
        m.put("prerequisite_job_id", null);
        m.put("progress_message", null);
        m.put("progress_counter", progressCounter);
        m.put("num_records", numRecords);
        m.put("sequence_length", sequenceLength);
        m.put("failure_message", failureMessage);
        m.put("msa_id", jobId);
        return m;
    }
}
