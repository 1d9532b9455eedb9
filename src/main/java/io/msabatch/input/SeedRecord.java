package io.msabatch.input;

import java.util.Map;

/**
 * One record of an input file, exactly as read: not yet validated, so {@code rawSequence} may be empty or hold letters
 * that are not amino acids. {@code recordNo} is the 1-based position in the file and {@code line} the 1-based line
 * where the record starts (FASTA: its header; CSV: its physical line, the header row being line 1). {@code id} and
 * {@code rawSequence} are never null (possibly empty); {@code extras} is an unmodifiable, ordered map: the other CSV
 * columns, or {@code description} (the rest of the FASTA header line). {@code problem} is set when the reader had to
 * cut the record short (a header line or record over the reading bounds): such a record is rejected with it.
 */
public record SeedRecord(long recordNo, long line, String id, String rawSequence, Map<String, String> extras,
                         String problem) {

    public SeedRecord(long recordNo, long line, String id, String rawSequence, Map<String, String> extras) {
        this(recordNo, line, id, rawSequence, extras, null);
    }

    public SeedRecord {
        id = id == null ? "" : id;
        rawSequence = rawSequence == null ? "" : rawSequence;
        extras = extras == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras));
    }
}
