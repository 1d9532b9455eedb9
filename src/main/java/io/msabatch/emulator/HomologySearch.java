package io.msabatch.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Searches a seed against the {@link ReferenceDatabase} and builds the MSA rows: exact 3-mer hits are counted per
 * diagonal band, the best candidates are aligned with {@link SmithWaterman}, and hits with an e-value at or below
 * the threshold become A3M rows, best first, after the seed. Thread-safe.
 */
final class HomologySearch {

    /** Karlin-Altschul parameters of BLOSUM62 with gaps 11/1 (BLAST). */
    static final double LAMBDA = 0.267;
    static final double K = 0.041;
    static final double MAX_EVALUE = 1e-3;
    static final int MAX_CANDIDATES = 1000;
    /** Candidates whose banded score has a worse e-value than this are not aligned in full. */
    static final double FILTER_EVALUE = 10;
    static final int BAND_HALF_WIDTH = 48;
    static final int MAX_HITS = 500;
    private static final int MIN_DIAGONAL_HITS = 2;
    private static final int BAND_SHIFT = 4;
    private static final int MAX_POSTINGS_PER_WORD = 20_000;

    private final ReferenceDatabase db;

    HomologySearch(ReferenceDatabase db) {
        this.db = db;
    }

    /** One homolog: the target, its alignment and statistics. */
    record Hit(int target, SmithWaterman.Alignment alignment, double evalue, double bits, double identity) {
    }

    static double evalue(int score, int queryLength, long dbResidues) {
        return K * queryLength * (double) dbResidues * Math.exp(-LAMBDA * score);
    }

    static double bits(int score) {
        return (LAMBDA * score - Math.log(K)) / Math.log(2);
    }

    /** Homologs of an upper-case seed (letters only), best first. */
    List<Hit> search(String seed) {
        byte[] ascii = seed.getBytes(StandardCharsets.US_ASCII);
        byte[] query = Residues.encode(ascii);
        int[][] candidates = candidates(ascii);
        List<Hit> hits = new ArrayList<>();
        for (int[] candidate : candidates) {
            int target = candidate[0];
            int banded = SmithWaterman.bandedScore(query, db.codes[target], candidate[1], BAND_HALF_WIDTH);
            if (evalue(banded, query.length, db.totalResidues) > FILTER_EVALUE) {
                continue;
            }
            SmithWaterman.Alignment a = SmithWaterman.align(query, db.codes[target]);
            double e = evalue(a.score(), query.length, db.totalResidues);
            if (e <= MAX_EVALUE) {
                hits.add(new Hit(target, a, e, bits(a.score()), identity(a, ascii, db.letters[target])));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::evalue).thenComparing(h -> -h.alignment().score())
                .thenComparingInt(Hit::target));
        return hits.size() > MAX_HITS ? List.copyOf(hits.subList(0, MAX_HITS)) : hits;
    }

    /**
     * Targets sharing at least two 3-mers on one diagonal band with the seed, most shared first, each as
     * {target, diagonal} (diagonal = target position minus seed position, of the best band).
     */
    int[][] candidates(byte[] ascii) {
        long[][] keys = {new long[1 << 12]};
        int[] size = {0};
        ReferenceDatabase.forEachKmer(ascii, (qpos, word) -> {
            int from = db.offsets[word];
            int to = db.offsets[word + 1];
            if (to - from > MAX_POSTINGS_PER_WORD) {
                return;
            }
            if (size[0] + (to - from) > keys[0].length) {
                keys[0] = Arrays.copyOf(keys[0], Math.max(keys[0].length * 2, size[0] + (to - from)));
            }
            long[] k = keys[0];
            int s = size[0];
            for (int p = from; p < to; p++) {
                int band = (db.postingPos[p] - qpos + (1 << 20)) >>> BAND_SHIFT;
                k[s++] = ((long) db.postingSeq[p] << 32) | band;
            }
            size[0] = s;
        });
        long[] k = keys[0];
        int n = size[0];
        Arrays.sort(k, 0, n);
        int[] best = new int[db.size()];
        int[] bestBand = new int[db.size()];
        int i = 0;
        long prevKey = -1;
        int prevCount = 0;
        while (i < n) {
            long key = k[i];
            int j = i;
            while (j < n && k[j] == key) {
                j++;
            }
            int count = j - i;
            int seq = (int) (key >>> 32);
            int combined = count;
            if (prevKey >= 0 && key - prevKey == 1) {
                combined += prevCount;
            }
            if (combined > best[seq]) {
                best[seq] = combined;
                bestBand[seq] = (int) key;
            }
            prevKey = key;
            prevCount = count;
            i = j;
        }
        List<int[]> ranked = new ArrayList<>();
        for (int s = 0; s < best.length; s++) {
            if (best[s] >= MIN_DIAGONAL_HITS) {
                ranked.add(new int[] {s, best[s]});
            }
        }
        ranked.sort((a, b) -> a[1] != b[1] ? Integer.compare(b[1], a[1]) : Integer.compare(a[0], b[0]));
        int limit = Math.min(MAX_CANDIDATES, ranked.size());
        int[][] out = new int[limit][];
        for (int r = 0; r < limit; r++) {
            int seq = ranked.get(r)[0];
            out[r] = new int[] {seq, (bestBand[seq] << BAND_SHIFT) - (1 << 20)};
        }
        return out;
    }

    private static double identity(SmithWaterman.Alignment a, byte[] query, byte[] target) {
        int qi = a.queryStart() - 1;
        int ti = a.targetStart() - 1;
        int same = 0;
        for (byte op : a.ops()) {
            if (op == SmithWaterman.Alignment.MATCH) {
                if (query[qi] == target[ti]) {
                    same++;
                }
                qi++;
                ti++;
            } else if (op == SmithWaterman.Alignment.DELETION) {
                qi++;
            } else {
                ti++;
            }
        }
        return a.ops().length == 0 ? 0 : (double) same / a.ops().length;
    }

    /** The MSA of a seed: the seed row named {@code 101}, then one A3M row per hit. */
    List<MsaRow> msa(String seed) {
        List<MsaRow> rows = new ArrayList<>();
        rows.add(new MsaRow("101", seed));
        for (Hit hit : search(seed)) {
            rows.add(new MsaRow(name(hit, seed.length()), a3m(hit, seed.length())));
        }
        return rows;
    }

    private String name(Hit hit, int queryLength) {
        SmithWaterman.Alignment a = hit.alignment();
        return String.join("\t", db.names[hit.target()], String.valueOf(Math.round(hit.bits())),
                String.format(Locale.ROOT, "%.3f", hit.identity()), String.format(Locale.ROOT, "%.2e", hit.evalue()),
                String.valueOf(a.queryStart()), String.valueOf(a.queryEnd()), String.valueOf(queryLength),
                String.valueOf(a.targetStart()), String.valueOf(a.targetEnd()),
                String.valueOf(db.letters[hit.target()].length));
    }

    private String a3m(Hit hit, int queryLength) {
        SmithWaterman.Alignment a = hit.alignment();
        byte[] target = db.letters[hit.target()];
        StringBuilder row = new StringBuilder(queryLength + 16);
        row.append("-".repeat(a.queryStart() - 1));
        int ti = a.targetStart() - 1;
        for (byte op : a.ops()) {
            if (op == SmithWaterman.Alignment.MATCH) {
                row.append((char) target[ti++]);
            } else if (op == SmithWaterman.Alignment.DELETION) {
                row.append('-');
            } else {
                row.append(Character.toLowerCase((char) target[ti++]));
            }
        }
        row.append("-".repeat(queryLength - a.queryEnd()));
        return row.toString();
    }
}
