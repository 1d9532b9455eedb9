package io.msabatch.ledger;

/** One row of the SEED_RECORD table: one input record of a run. */
public record RecordRow(long runId, long recordNo, long line, String seedId, String seqHash, RecordState state,
                        String jobId, int attempts, String fileName, String checksum, String error, String warning) {
}
