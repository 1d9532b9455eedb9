package io.msabatch.emulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * One job as stored. {@link #toJson()} gives the contract's job object as today's align service writes it: naive UTC
 * dates, {@code progress_counter} null, {@code msa_id} equal to {@code job_id}. {@code resultOf} names the job whose
 * result this one shares (a cache hit), null otherwise.
 */
record JobRecord(long seq, String jobId, String username, String jobType, String status, long createdUs,
        Long startUs, Long endUs, Integer numRecords, int sequenceLength, String failureMessage, boolean isSeed,
        String msaFile, String resultOf) {

    static final String ALIGN = "/align/align";

    /** The statuses of the contract; the first three are not terminal. */
    static final List<String> STATUSES = List.of("PENDING", "RUNNING", "RETRYING", "SUCCESS", "FAILURE", "CANCELED");

    JobRecord withStatus(String newStatus, Long newStartUs, Long newEndUs, Integer newNumRecords, String failure) {
        return new JobRecord(seq, jobId, username, jobType, newStatus, createdUs, newStartUs, newEndUs, newNumRecords,
                sequenceLength, failure, isSeed, msaFile, resultOf);
    }

    /** The job whose result row holds this job's MSA. */
    String resultJobId() {
        return resultOf != null ? resultOf : jobId;
    }

    /**
     * Python's {@code datetime.isoformat()} of a naive UTC time, as the align service sends it:
     * {@code 2026-12-01T20:01:02.123456}, and without the fraction when the microseconds are zero.
     */
    static String iso(Long micros) {
        if (micros == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, ZoneOffset.UTC);
        int us = (int) Math.floorMod(micros, 1_000_000L);
        StringBuilder sb = new StringBuilder(26);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        if (us != 0) {
            pad(sb.append('.'), us, 6);
        }
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** The job object as JSON text; field order as the service sends it. */
    String toJson() {
        StringBuilder sb = new StringBuilder(420);
        sb.append("{\"job_id\":");
        string(sb, jobId);
        sb.append(",\"job_type\":");
        string(sb, jobType);
        sb.append(",\"status\":");
        string(sb, status);
        sb.append(",\"created_date\":");
        string(sb, iso(createdUs));
        sb.append(",\"start_date\":");
        string(sb, iso(startUs));
        sb.append(",\"end_date\":");
        string(sb, iso(endUs));
        sb.append(",\"prerequisite_job_id\":null,\"progress_message\":null,\"progress_counter\":null");
        sb.append(",\"num_records\":").append(numRecords);
        sb.append(",\"sequence_length\":").append(sequenceLength);
        sb.append(",\"failure_message\":");
        string(sb, failureMessage);
        sb.append(",\"msa_id\":");
        string(sb, jobId);
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}
