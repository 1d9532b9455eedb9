package io.msabatch.quality;

import io.msabatch.output.AlignmentRows;
import io.msabatch.output.InvalidMsaException;
import io.msabatch.output.OutputFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Measures an alignment file written by msa-batch ({@link MsaQuality}) and, when asked, gathers its coverage picture,
 * streaming over the file with memory bounded by {@link QualitySettings} whatever the number of rows.
 *
 * <p>Neff: up to {@link QualitySettings#exactLimit()} rows (fewer for long queries, to stay within
 * {@link QualitySettings#memoryBytes()}), every pair of rows is compared, in one pass. Above it the figure is an
 * estimate. A uniform sample of K = {@link QualitySettings#sampleSize()} rows (reservoir sampling in the first pass,
 * seeded, so a file always gives the same figure) is compared with every row in a second pass, which gives each
 * sampled row its exact weight, and sorts every row into one of two strata: rare rows resemble at most one sampled
 * row (few neighbours, large weights: in a redundant MSA a few percent of the rows carry most of the Neff, and a plain
 * sample mean would hit or miss them by chance), common rows the others. Rare rows are sampled again (up to 2K, all
 * of them if fewer) and weighed exactly in a third pass. Neff = rare rows x their sampled mean weight + common rows x
 * the mean weight of the sampled rows among them (stratified sampling). Work: up to 3·K·N row comparisons of L/64
 * words each; memory: the K + 2K sampled rows.
 *
 * <p>Expects a file that {@code MsaFiles.verify} accepts (first row the query, every row the query's columns); throws
 * {@link InvalidMsaException} when it cannot be read as {@code format}. Stateless and thread-safe.
 */
public final class MsaScanner {

    private MsaScanner() {
    }

    /** The quality of {@code file} with the default settings, without a picture. */
    public static MsaQuality quality(Path file, OutputFormat format) {
        return scan(file, format, QualitySettings.defaults().withoutPicture()).quality();
    }

    /** Quality and (unless {@code settings.pictureRows()} is 0) the coverage picture of {@code file}. */
    public static MsaScan scan(Path file, OutputFormat format, QualitySettings settings) {
        FirstPass first = new FirstPass(settings);
        int rows = AlignmentRows.read(file, format, first::row);
        if (first.bits == null || first.bits.columns == 0) {
            throw new InvalidMsaException(file + ": the first row has no query columns");
        }
        double neff;
        boolean estimated = rows > first.capacity;
        if (estimated) {
            neff = estimateNeff(file, format, first, rows, settings);
        } else {
            neff = exactNeff(first.bits, first.reservoir, rows);
        }
        double sum = 0;
        int min = Integer.MAX_VALUE;
        for (int c : first.coverage) {
            sum += c;
            min = Math.min(min, c);
        }
        int columns = first.bits.columns;
        MsaQuality quality = new MsaQuality(rows, columns, neff, estimated, sum / columns / rows, min / (double) rows);
        CoveragePicture picture = settings.pictureRows() == 0 ? null : first.picture.build(rows, first.coverage);
        return new MsaScan(quality, picture);
    }

    /** All pairs among the rows held (all rows of the file): weight 1/(1 + neighbours). */
    static double exactNeff(RowBits bits, long[] held, int rows) {
        int[] neighbours = new int[rows];
        int stride = bits.longsPerRow;
        for (int i = 0; i < rows; i++) {
            int a = i * stride;
            for (int j = i + 1; j < rows; j++) {
                if (bits.similar(held, a, held, j * stride)) {
                    neighbours[i]++;
                    neighbours[j]++;
                }
            }
        }
        double neff = 0;
        for (int n : neighbours) {
            neff += 1.0 / (1 + n);
        }
        return neff;
    }

    private static double estimateNeff(Path file, OutputFormat format, FirstPass first, int rows, QualitySettings settings) {
        RowBits bits = first.bits;
        int stride = bits.longsPerRow;
        int k = Math.min(settings.sampleSize(), first.capacity);
        // a uniform k-subset of the reservoir (itself a uniform sample of the file): partial Fisher-Yates
        int[] slots = new int[first.capacity];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = i;
        }
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x9E3779B97F4A7C15L);
        long[] probes = new long[k * stride];
        int[] probeRows = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(slots.length - i);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
            System.arraycopy(first.reservoir, slots[i] * stride, probes, i * stride, stride);
            probeRows[i] = first.reservoirRows[slots[i]];
        }
        Arrays.sort(probeRows);
        // Second pass: every row against the probes. A probe's count is its exact neighbour count (itself included).
        // A row that resembles at most one probe other than itself is rare: few neighbours, a large weight. Rare rows
        // are a stratum of their own, counted, and sampled (a second reservoir) for exact weights in a third pass.
        int rareLimit = (int) Math.min(2L * k, Math.max(1, settings.memoryBytes() / (stride * 8L)));
        int[] probeNeighbours = new int[k];
        long[][] rare = {new long[Math.min(rareLimit, 64) * stride]};
        long[] rareSeen = {0};
        SplittableRandom rareRandom = new SplittableRandom(settings.seed() + 2);
        long[] scratch = new long[stride];
        AlignmentRows.read(file, format, (number, name, row) -> {
            bits.encode(row, scratch, 0);
            int similar = 0;
            for (int p = 0; p < k; p++) {
                if (bits.similar(probes, p * stride, scratch, 0)) {
                    probeNeighbours[p]++;
                    similar++;
                }
            }
            if (Arrays.binarySearch(probeRows, number) >= 0) {
                similar--; // a probe does not stratify itself
            }
            if (similar <= 1) {
                long t = rareSeen[0]++;
                long slot = t < rareLimit ? t : rareRandom.nextLong(t + 1);
                if (slot < rareLimit) {
                    if ((slot + 1) * stride > rare[0].length) {
                        rare[0] = Arrays.copyOf(rare[0], (int) Math.min(rareLimit, 2 * (slot + 1)) * stride);
                    }
                    System.arraycopy(scratch, 0, rare[0], (int) slot * stride, stride);
                }
            }
        });
        // The common stratum's mean weight comes from the probes in it (those resembling two other probes or more).
        double commonWeights = 0;
        int commonProbes = 0;
        double allWeights = 0;
        for (int p = 0; p < k; p++) {
            allWeights += 1.0 / Math.max(1, probeNeighbours[p]);
            int similarProbes = 0;
            for (int q = 0; q < k && similarProbes <= 1; q++) {
                if (q != p && bits.similar(probes, p * stride, probes, q * stride)) {
                    similarProbes++;
                }
            }
            if (similarProbes > 1) {
                commonWeights += 1.0 / probeNeighbours[p];
                commonProbes++;
            }
        }
        long common = rows - rareSeen[0];
        double commonPart = common == 0 ? 0 : common * (commonProbes > 0 ? commonWeights / commonProbes : allWeights / k);
        if (rareSeen[0] == 0) {
            return commonPart;
        }
        // Third pass: exact weights of the sampled rare rows (all of them when there are at most rareLimit).
        int r = (int) Math.min(rareSeen[0], rareLimit);
        long[] rareRows = rare[0];
        int[] rareNeighbours = new int[r];
        AlignmentRows.read(file, format, (number, name, row) -> {
            bits.encode(row, scratch, 0);
            for (int i = 0; i < r; i++) {
                if (bits.similar(rareRows, i * stride, scratch, 0)) {
                    rareNeighbours[i]++;
                }
            }
        });
        double rareWeights = 0;
        for (int n : rareNeighbours) {
            rareWeights += 1.0 / Math.max(1, n);
        }
        return commonPart + rareSeen[0] * rareWeights / r;
    }

    /** Coverage, the Neff reservoir and the picture sample, gathered row by row. */
    private static final class FirstPass {
        private final QualitySettings settings;
        private final SplittableRandom random;
        RowBits bits;
        int capacity;
        long[] reservoir;
        int[] reservoirRows;
        int[] coverage;
        PictureSample picture;
        private long[] query;
        private long[] scratch;

        FirstPass(QualitySettings settings) {
            this.settings = settings;
            this.random = new SplittableRandom(settings.seed());
        }

        void row(int number, String name, CharSequence row) {
            if (number == 1) {
                start(row);
            }
            int t = number - 1;
            // reservoir sampling (Algorithm R): row t replaces a held row with probability capacity/(t+1)
            int slot = t < capacity ? t : random.nextInt(t + 1);
            if (slot < capacity && (slot + 1) * bits.longsPerRow > reservoir.length) {
                // grow by doubling, so a small MSA never holds the whole capacity
                reservoir = Arrays.copyOf(reservoir, Math.min(capacity, 2 * (slot + 1)) * bits.longsPerRow);
                reservoirRows = Arrays.copyOf(reservoirRows, Math.min(capacity, 2 * (slot + 1)));
            }
            if (slot < capacity) {
                reservoirRows[slot] = number;
            }
            long[] target = slot < capacity ? reservoir : scratch;
            int offset = slot < capacity ? slot * bits.longsPerRow : 0;
            bits.encode(row, target, offset);
            countCoverage(target, offset);
            picture.offer(t, target, offset, query);
        }

        private void start(CharSequence queryRow) {
            int columns = 0;
            for (int i = 0; i < queryRow.length(); i++) {
                char c = queryRow.charAt(i);
                if ((c >= 'A' && c <= 'Z') || c == '-') {
                    columns++;
                }
            }
            bits = new RowBits(columns);
            long perRow = bits.longsPerRow * 8L;
            capacity = (int) Math.max(1, Math.min(settings.exactLimit(), settings.memoryBytes() / Math.max(1, perRow)));
            reservoir = new long[Math.min(capacity, 64) * bits.longsPerRow];
            reservoirRows = new int[Math.min(capacity, 64)];
            coverage = new int[columns];
            query = new long[bits.longsPerRow];
            bits.encode(queryRow, query, 0);
            scratch = new long[bits.longsPerRow];
            picture = new PictureSample(bits, settings.pictureRows(), settings.pictureColumns(), new SplittableRandom(settings.seed() + 1));
        }

        private void countCoverage(long[] rows, int offset) {
            for (int w = 0; w < bits.words; w++) {
                long m = rows[offset + w * RowBits.STRIDE];
                while (m != 0) {
                    coverage[(w << 6) + Long.numberOfTrailingZeros(m)]++;
                    m &= m - 1;
                }
            }
        }
    }
}
