package io.msabatch.quality;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the coverage picture of one MSA draws, in the manner of ColabFold's: a uniform sample of its rows sorted by
 * identity to the query (highest first), each row drawn where it has residues and coloured by that identity (gaps
 * white), and per column the number of sequences with a residue (the coverage line). Query columns are grouped into
 * {@link #bins()} bins of about equal width. Small: a few kilobytes as {@link #toJson()}, which is also how it is stored
 * between the run's steps and embedded in report.html. Arrays are not copied; do not change them.
 *
 * @param sequences   rows of the MSA, the query included
 * @param queryLength query columns
 * @param bins        column bins of the picture (query length if at most the picture's width)
 * @param coverage    per bin, the mean number of sequences with a residue in its columns
 * @param identity    per sampled row, highest first: identical residues / the row's residues in query columns
 * @param covered     per sampled row, a bit per bin: the row has residues in at least half of the bin's columns
 */
public record CoveragePicture(int sequences, int queryLength, int bins, int[] coverage, float[] identity, long[][] covered) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Compact JSON: {@code {"n":N,"len":L,"bins":B,"cov":[...],"id":[per mille...],"rows":"base64"}}, where rows holds
     * each sampled row's bits, {@code ceil(bins/8)} bytes per row, bin 0 in the lowest bit of the first byte.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64 + coverage.length * 4 + identity.length * 6);
        sb.append("{\"n\":").append(sequences).append(",\"len\":").append(queryLength).append(",\"bins\":").append(bins);
        sb.append(",\"cov\":[");
        for (int b = 0; b < coverage.length; b++) {
            sb.append(b == 0 ? "" : ",").append(coverage[b]);
        }
        sb.append("],\"id\":[");
        for (int r = 0; r < identity.length; r++) {
            sb.append(r == 0 ? "" : ",").append(Math.round(identity[r] * 1000));
        }
        int bytesPerRow = (bins + 7) >>> 3;
        ByteBuffer rows = ByteBuffer.allocate(bytesPerRow * covered.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] mask : covered) {
            for (int i = 0; i < bytesPerRow; i++) {
                rows.put((byte) (mask[i >>> 3] >>> ((i & 7) * 8)));
            }
        }
        sb.append("],\"rows\":\"").append(Base64.getEncoder().encodeToString(rows.array())).append("\"}");
        return sb.toString();
    }

    /** Reads what {@link #toJson()} wrote (identities come back rounded to 0.1%); throws IllegalArgumentException otherwise. */
    public static CoveragePicture fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            int bins = node.get("bins").asInt();
            int[] coverage = new int[node.get("cov").size()];
            for (int b = 0; b < coverage.length; b++) {
                coverage[b] = node.get("cov").get(b).asInt();
            }
            float[] identity = new float[node.get("id").size()];
            for (int r = 0; r < identity.length; r++) {
                identity[r] = node.get("id").get(r).asInt() / 1000f;
            }
            byte[] raw = Base64.getDecoder().decode(node.get("rows").asString());
            int bytesPerRow = (bins + 7) >>> 3;
            long[][] covered = new long[identity.length][(bins + 63) >>> 6];
            for (int r = 0; r < identity.length; r++) {
                for (int i = 0; i < bytesPerRow; i++) {
                    covered[r][i >>> 3] |= (raw[r * bytesPerRow + i] & 0xFFL) << ((i & 7) * 8);
                }
            }
            return new CoveragePicture(node.get("n").asInt(), node.get("len").asInt(), bins, coverage, identity, covered);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a coverage picture: " + e.getMessage(), e);
        }
    }

    /** True when sampled row {@code row} (0 = highest identity) covers bin {@code bin}. */
    public boolean covers(int row, int bin) {
        return (covered[row][bin >>> 6] & (1L << (bin & 63))) != 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CoveragePicture[%d sequences, %d columns in %d bins, %d rows drawn]", sequences,
                queryLength, bins, identity.length);
    }
}
