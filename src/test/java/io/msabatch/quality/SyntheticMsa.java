package io.msabatch.quality;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes A3M files shaped like deep search results: homologs come in families (an ancestor 30-90% identical to the
 * query, members close to their ancestor, family sizes heavy-tailed as in real databases full of near-copies), each a
 * local hit covering part of the query, with deletions ({@code -}) and lower-case insertions.
 */
final class SyntheticMsa {

    private static final String AMINO = "ACDEFGHIKLMNPQRSTVWY";

    private SyntheticMsa() {
    }

    /**
     * @param families        how many families share the rows
     * @param familyMutation  mutation rate of a family member from its ancestor (0.05 = ~95% identical)
     */
    static Path write(Path file, String query, int rows, int families, double familyMutation, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> ancestors = new ArrayList<>();
        for (int f = 0; f < families; f++) {
            ancestors.add(mutate(query, 0.1 + 0.6 * random.nextDouble(), random));
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(">query\n" + query + "\n");
            for (int r = 1; r < rows; r++) {
                // Zipf-like: family f is picked with weight 1/(f+1)
                int f = zipf(families, random);
                String member = mutate(ancestors.get(f), familyMutation * random.nextDouble() * 2, random);
                out.write(">hit" + r + "\tfamily " + f + "\n");
                out.write(localHit(member, random));
                out.write('\n');
            }
        }
        return file;
    }

    private static int zipf(int n, SplittableRandom random) {
        double h = 0;
        for (int i = 1; i <= n; i++) {
            h += 1.0 / i;
        }
        double u = random.nextDouble() * h;
        for (int i = 1; i <= n; i++) {
            u -= 1.0 / i;
            if (u <= 0) {
                return i - 1;
            }
        }
        return n - 1;
    }

    private static String mutate(String s, double rate, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < sb.length(); i++) {
            if (random.nextDouble() < rate) {
                sb.setCharAt(i, AMINO.charAt(random.nextInt(AMINO.length())));
            }
        }
        return sb.toString();
    }

    private static String localHit(String member, SplittableRandom random) {
        int length = member.length();
        int start = random.nextInt(Math.max(1, length / 3));
        int end = length - random.nextInt(Math.max(1, length / 3));
        StringBuilder row = new StringBuilder(length + 16);
        for (int c = 0; c < length; c++) {
            if (c < start || c >= end || random.nextDouble() < 0.03) {
                row.append('-');
            } else {
                row.append(member.charAt(c));
            }
            if (c >= start && c < end - 1 && random.nextDouble() < 0.02) {
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    row.append(Character.toLowerCase(AMINO.charAt(random.nextInt(AMINO.length()))));
                }
            }
        }
        return row.toString();
    }

    /** A random protein of {@code length} residues. */
    static String protein(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(AMINO.charAt(random.nextInt(AMINO.length())));
        }
        return sb.toString();
    }
}
