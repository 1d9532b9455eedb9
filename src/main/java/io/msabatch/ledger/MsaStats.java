package io.msabatch.ledger;

/**
 * The quality of one job's MSA as the ledger keeps it: rows (query included), Neff at 80% identity (estimated above
 * a size bound), mean and minimum query coverage, the warning code ({@code query-only}, {@code shallow}, or null), and
 * optionally the coverage picture as JSON.
 */
public record MsaStats(int sequences, double neff, boolean neffEstimated, double coverageMean, double coverageMin,
                       String warning, String pictureJson) {
}
