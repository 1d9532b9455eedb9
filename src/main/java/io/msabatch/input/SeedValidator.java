package io.msabatch.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalises and checks a seed: removes all whitespace, upper-cases, drops one terminal {@code *}; rejects a missing
 * id, an empty sequence, letters other than the 20 amino acids plus X, B, Z, U, O, and sequences longer than the
 * maximum, ids over {@value #MAX_ID_LENGTH} characters or with control characters; accepts the chains of a complex
 * joined by {@code :}; warns (but accepts) when the sequence looks like DNA/RNA. Stateless and thread-safe.
 */
public final class SeedValidator {

    /** How many bad letters a reason lists before it says "and N more". */
    static final int MAX_LISTED = 5;
    static final int NUCLEOTIDE_MIN_LENGTH = 20;
    static final double NUCLEOTIDE_FRACTION = 0.9;

    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c : "ACDEFGHIKLMNPQRSTVWYXBZUO".toCharArray()) {
            ALLOWED[c] = true;
        }
    }

    private final int maxLength;

    /** {@code maxLength}: the longest accepted sequence in residues (setting {@code pipeline.max-length}); must be > 0. */
    public SeedValidator(int maxLength) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("pipeline.max-length must be positive, was " + maxLength);
        }
        this.maxLength = maxLength;
    }

    public Validation validate(SeedRecord r) {
        String sequence = normalise(r.rawSequence());
        List<String> problems = new ArrayList<>();
        if (r.problem() != null) {
            return new Validation(false, "", r.problem(), List.of());
        }
        if (r.id() == null || r.id().isBlank()) {
            problems.add("missing id");
        } else if (r.id().length() > MAX_ID_LENGTH) {
            problems.add("id is " + r.id().length() + " characters, over the maximum of " + MAX_ID_LENGTH);
        } else if (r.id().codePoints().anyMatch(cp -> Character.isISOControl(cp))) {
            problems.add("id contains a control character (a tab, line break or similar)");
        }
        if (sequence.isEmpty()) {
            problems.add("empty sequence");
        } else {
            String bad = badLetters(sequence);
            if (bad != null) {
                problems.add("letters not allowed in a protein sequence: " + bad);
            }
            String chains = chainProblem(sequence);
            if (chains != null) {
                problems.add(chains);
            }
            int residues = sequence.length() - (int) sequence.chars().filter(c -> c == CHAIN_SEPARATOR).count();
            if (residues > maxLength) {
                problems.add("sequence is " + residues + " residues, over the maximum of " + maxLength
                        + " (setting pipeline.max-length)");
            }
        }
        if (!problems.isEmpty()) {
            return new Validation(false, sequence, String.join("; ", problems), List.of());
        }
        List<String> warnings = new ArrayList<>();
        String nucleotide = nucleotideWarning(sequence);
        if (nucleotide != null) {
            warnings.add(nucleotide);
        }
        return new Validation(true, sequence, null, warnings);
    }

    /** The longest id accepted (the ledger's column, and far beyond any real identifier). */
    public static final int MAX_ID_LENGTH = 1000;
    /** Joins the chains of a complex in one seed ({@code AAAA:BBBB}), as the service accepts it. */
    public static final char CHAIN_SEPARATOR = ':';

    /** A {@code :} must separate two chains: none at either end, never two in a row. */
    private static String chainProblem(String sequence) {
        if (sequence.indexOf(CHAIN_SEPARATOR) < 0) {
            return null;
        }
        if (sequence.charAt(0) == CHAIN_SEPARATOR || sequence.charAt(sequence.length() - 1) == CHAIN_SEPARATOR
                || sequence.contains("::")) {
            return "a ':' must join two chains (none at the start or end, never two in a row)";
        }
        return null;
    }

    /** Removes all whitespace, upper-cases, and drops one terminal {@code *} (a stop codon marker). */
    static String normalise(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        raw.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
                .forEach(sb::appendCodePoint);
        String s = sb.toString().toUpperCase(Locale.ROOT);
        return s.endsWith("*") ? s.substring(0, s.length() - 1) : s;
    }

    private static String badLetters(String sequence) {
        List<String> listed = new ArrayList<>();
        int more = 0;
        int position = 0;
        for (int i = 0; i < sequence.length(); ) {
            int cp = sequence.codePointAt(i);
            i += Character.charCount(cp);
            position++;
            if (cp < 128 && ALLOWED[cp] || cp == CHAIN_SEPARATOR) {
                continue;
            }
            if (listed.size() < MAX_LISTED) {
                listed.add(show(cp) + (listed.isEmpty() ? " at position " : " at ") + position);
            } else {
                more++;
            }
        }
        if (listed.isEmpty()) {
            return null;
        }
        return String.join(", ", listed) + (more > 0 ? " and " + more + " more" : "");
    }

    private static String show(int cp) {
        if (cp < 0x20 || cp == 0x7F || Character.isISOControl(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private static String nucleotideWarning(String sequence) {
        if (sequence.length() < NUCLEOTIDE_MIN_LENGTH) {
            return null;
        }
        int nucleotides = 0;
        for (int i = 0; i < sequence.length(); i++) {
            switch (sequence.charAt(i)) {
                case 'A', 'C', 'G', 'T', 'U', 'N' -> nucleotides++;
                default -> {
                }
            }
        }
        double fraction = (double) nucleotides / sequence.length();
        if (fraction < NUCLEOTIDE_FRACTION) {
            return null;
        }
        return "looks like a nucleotide sequence (" + Math.round(fraction * 100)
                + "% A/C/G/T/U/N); the MSA service expects protein sequences";
    }
}
