package io.msabatch.ledger;

/** One row of SEED_RECORD: one input record of a run. {@code seqHash} is null for a rejected record. */
public record RecordRow(long runId, long recordNo, long line, String seedId, String seqHash, RecordState state,
                        String jobId, int attempts, String fileName, String checksum, String error, String warning,
                        Origin origin) {
}
