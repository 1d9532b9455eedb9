package io.msabatch.quality;

/**
 * How {@link MsaScanner} bounds its work.
 *
 * @param exactLimit     MSAs with at most this many rows get the exact Neff (all pairs); larger ones the estimate
 * @param sampleSize     rows sampled for the estimate; each is compared with every row of the file
 * @param memoryBytes    cap on the rows held for the exact computation (long queries lower the exact limit to fit)
 * @param pictureRows    rows of the coverage picture (a uniform sample of the MSA's rows); 0 = no picture
 * @param pictureColumns most columns of the coverage picture (query columns are binned to fit)
 * @param seed           seed of the samples, so that the same file always gives the same figures
 */
public record QualitySettings(int exactLimit, int sampleSize, long memoryBytes, int pictureRows, int pictureColumns,
                              long seed) {

    /** Exact up to 5,000 rows; above, 500 sampled rows; 16 MB of rows at most; a 150 x 200 picture. */
    public static QualitySettings defaults() {
        return new QualitySettings(5_000, 500, 16L << 20, 150, 200, 0x5EED_15L);
    }

    public QualitySettings {
        if (exactLimit < 1 || sampleSize < 1 || sampleSize > exactLimit || memoryBytes < 1 || pictureRows < 0
                || pictureColumns < 1) {
            throw new IllegalArgumentException("bad quality settings: exact limit " + exactLimit + ", sample " + sampleSize
                    + " (1..exact limit), memory " + memoryBytes + ", picture " + pictureRows + " x " + pictureColumns);
        }
    }

    /** The same settings without a picture. */
    public QualitySettings withoutPicture() {
        return new QualitySettings(exactLimit, sampleSize, memoryBytes, 0, pictureColumns, seed);
    }

    /** The same settings with another exact limit (and a sample no larger than it). */
    public QualitySettings withExactLimit(int limit) {
        return new QualitySettings(limit, Math.min(sampleSize, limit), memoryBytes, pictureRows, pictureColumns, seed);
    }
}
