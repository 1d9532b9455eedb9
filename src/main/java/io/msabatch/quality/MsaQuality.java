package io.msabatch.quality;

/**
 * How deep and how wide one MSA is, measured over the query's columns of the file.
 *
 * @param sequences     rows in the file, the query included (1 = the query alone)
 * @param queryLength   the query's columns
 * @param neff          effective number of sequences at 80% identity: the sum over rows of 1 / (rows, itself included,
 *                      at least 80% identical to it); identity of two rows = identical residues / query columns where
 *                      both have a residue (gaps and insertions never count; rows sharing no such column are 0%
 *                      identical); letters compared upper-case, {@code X} like any other letter
 * @param neffEstimated true when {@link #neff} is the sampling estimate (the MSA had more rows than the exact limit)
 * @param coverageMean  mean over query columns of the fraction of rows (query included) with a residue there
 * @param coverageMin   the smallest such fraction
 */
public record MsaQuality(int sequences, int queryLength, double neff, boolean neffEstimated, double coverageMean,
                         double coverageMin) {

    /**
     * The warning a reader should see, or null: {@link MsaWarning#QUERY_ONLY} when the file holds the query alone,
     * {@link MsaWarning#SHALLOW} when Neff is below {@code shallowNeff}.
     */
    public MsaWarning warning(double shallowNeff) {
        if (sequences <= 1) {
            return MsaWarning.QUERY_ONLY;
        }
        return neff < shallowNeff ? MsaWarning.SHALLOW : null;
    }
}
