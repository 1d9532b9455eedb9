package io.msabatch.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The reference proteins the emulator searches, with an exact 3-mer index over the 20 standard amino acids.
 * Immutable after construction and safe to share between threads.
 */
final class ReferenceDatabase {

    static final String CLASSPATH_RESOURCE = "/emulator/reference/uniprot-reference-subset.fasta.gz";
    static final int K = 3;
    private static final String STANDARD = "ACDEFGHIKLMNPQRSTVWY";
    private static final int[] KMER_LETTER = new int[128];

    static {
        java.util.Arrays.fill(KMER_LETTER, -1);
        for (int i = 0; i < STANDARD.length(); i++) {
            KMER_LETTER[STANDARD.charAt(i)] = i;
        }
    }

    final String[] names;
    final String[] headers;
    final byte[][] letters;
    final byte[][] codes;
    final long totalResidues;
    /** CSR index: postings of k-mer w are postingSeq/postingPos[offsets[w] .. offsets[w+1]). */
    final int[] offsets;
    final int[] postingSeq;
    final int[] postingPos;

    private ReferenceDatabase(List<String> headers, List<byte[]> sequences) {
        int count = sequences.size();
        this.headers = headers.toArray(String[]::new);
        this.names = new String[count];
        this.letters = sequences.toArray(byte[][]::new);
        this.codes = new byte[count][];
        long total = 0;
        int buckets = 1;
        for (int i = 0; i < K; i++) {
            buckets *= STANDARD.length();
        }
        int[] counts = new int[buckets + 1];
        for (int s = 0; s < count; s++) {
            String header = this.headers[s];
            int space = header.indexOf(' ');
            names[s] = space < 0 ? header : header.substring(0, space);
            codes[s] = Residues.encode(letters[s]);
            total += letters[s].length;
            forEachKmer(letters[s], (pos, word) -> counts[word + 1]++);
        }
        for (int w = 0; w < buckets; w++) {
            counts[w + 1] += counts[w];
        }
        this.offsets = counts;
        this.totalResidues = total;
        int[] fill = java.util.Arrays.copyOf(counts, buckets);
        this.postingSeq = new int[counts[buckets]];
        this.postingPos = new int[counts[buckets]];
        for (int s = 0; s < count; s++) {
            int seq = s;
            forEachKmer(letters[s], (pos, word) -> {
                int at = fill[word]++;
                postingSeq[at] = seq;
                postingPos[at] = pos;
            });
        }
    }

    interface KmerConsumer {
        void accept(int position, int word);
    }

    /** Calls back for every k-mer made only of standard amino acids (upper-case ASCII input). */
    static void forEachKmer(byte[] ascii, KmerConsumer consumer) {
        int word = 0;
        int valid = 0;
        int size = STANDARD.length();
        int mod = size * size;
        for (int i = 0; i < ascii.length; i++) {
            int c = ascii[i];
            int l = c >= 0 && c < 128 ? KMER_LETTER[c] : -1;
            if (l < 0) {
                valid = 0;
                word = 0;
                continue;
            }
            word = (word % mod) * size + l;
            if (++valid >= K) {
                consumer.accept(i - K + 1, word);
            }
        }
    }

    int size() {
        return letters.length;
    }

    /** Loads the reference set shipped in the jar. */
    static ReferenceDatabase loadDefault() {
        InputStream in = ReferenceDatabase.class.getResourceAsStream(CLASSPATH_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("reference set " + CLASSPATH_RESOURCE + " missing from the classpath");
        }
        return load(in);
    }

    /** Reads a gzipped FASTA; letters are upper-cased, other characters than letters are dropped. */
    static ReferenceDatabase load(InputStream gzipped) {
        List<String> headers = new ArrayList<>();
        List<byte[]> sequences = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(gzipped, 1 << 16), StandardCharsets.US_ASCII), 1 << 16)) {
            StringBuilder current = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(">")) {
                    if (current != null) {
                        sequences.add(current.toString().getBytes(StandardCharsets.US_ASCII));
                    }
                    headers.add(line.substring(1).trim());
                    current = new StringBuilder();
                } else if (current != null) {
                    for (int i = 0; i < line.length(); i++) {
                        char c = line.charAt(i);
                        if (Character.isLetter(c)) {
                            current.append(Character.toUpperCase(c));
                        }
                    }
                }
            }
            if (current != null) {
                sequences.add(current.toString().getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference set", e);
        }
        return new ReferenceDatabase(headers, sequences);
    }
}
