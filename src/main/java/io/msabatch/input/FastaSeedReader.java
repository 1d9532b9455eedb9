package io.msabatch.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.biojava.nbio.core.sequence.compound.AminoAcidCompound;
import org.biojava.nbio.core.sequence.io.FastaReader;

/**
 * Streams a FASTA file with BioJava's {@link FastaReader}, one record per {@code process(1)}. FastaReader never sees a
 * letter it can refuse ({@link RawSequence} keeps the text), and {@link FastaHeaderTracker} supplies each record's line
 * and header and the header-only records that FastaReader skips, which come out with an empty sequence.
 */
final class FastaSeedReader extends SeedFileReader {

    private FastaHeaderTracker tracker;
    private FastaReader<RawSequence, AminoAcidCompound> fasta;
    private final ArrayDeque<SeedRecord> ready = new ArrayDeque<>();
    private long recordNo;

    FastaSeedReader(Path file) {
        super(file);
    }

    @Override
    public InputFormat format() {
        return InputFormat.FASTA;
    }

    @Override
    protected void doOpen() {
        InputFiles.requireReadable(file());
        try {
            tracker = new FastaHeaderTracker(InputFiles.openBytes(file()));
        } catch (IOException e) {
            throw InputFiles.unreadable(file(), e);
        }
        fasta = new FastaReader<>(tracker, new RawSequence.HeaderParser(), new RawSequence.Creator());
        ready.clear();
        recordNo = 0;
    }

    @Override
    protected SeedRecord doRead() {
        if (!ready.isEmpty()) {
            return ready.poll();
        }
        Map<String, RawSequence> next;
        try {
            next = fasta.process(1);
        } catch (IOException e) {
            throw InputFiles.unreadableAfter(file(), tracker.linesRead(), e);
        }
        if (next == null) {
            // End of file: whatever is still queued are header-only records at the end.
            for (FastaHeaderTracker.Entry e = tracker.poll(); e != null; e = tracker.poll()) {
                if (e.hasSequence) {
                    throw lostRecord(e);
                }
                ready.add(toRecord(e, ""));
            }
            return ready.poll();
        }
        RawSequence sequence = next.values().iterator().next();
        while (true) {
            FastaHeaderTracker.Entry e = tracker.poll();
            if (e == null) {
                throw new IllegalStateException("FASTA reader out of step with its header tracker in " + file()
                        + " after record " + recordNo);
            }
            if (e.hasSequence) {
                ready.add(toRecord(e, sequence.getSequenceAsString()));
                break;
            }
            ready.add(toRecord(e, "")); // a header with no sequence lines: FastaReader skipped it
        }
        return ready.poll();
    }

    @Override
    protected void doClose() throws IOException {
        if (fasta != null) {
            fasta.close();
        }
        fasta = null;
        tracker = null;
        ready.clear();
    }

    private IllegalStateException lostRecord(FastaHeaderTracker.Entry e) {
        return new IllegalStateException("BioJava's FastaReader did not return the record at line " + e.line + " of "
                + file() + " ('" + e.header + "'); refusing to drop it silently");
    }

    private SeedRecord toRecord(FastaHeaderTracker.Entry e, String raw) {
        String[] idAndDescription = idAndDescription(e.header);
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("description", idAndDescription[1]);
        return new SeedRecord(++recordNo, e.line, idAndDescription[0], e.problem == null ? raw : "", extras, e.problem);
    }

    /**
     * Splits a header (without {@code >}) into id and description: the id is the UniProt accession for
     * {@code sp|P12345|NAME} and {@code tr|...} headers, otherwise the first whitespace-delimited word.
     */
    static String[] idAndDescription(String header) {
        String h = header == null ? "" : header.strip();
        int end = 0;
        while (end < h.length() && !Character.isWhitespace(h.charAt(end))) {
            end++;
        }
        String token = h.substring(0, end);
        String description = h.substring(end).strip();
        String id = token;
        if (token.regionMatches(true, 0, "sp|", 0, 3) || token.regionMatches(true, 0, "tr|", 0, 3)) {
            String[] parts = token.split("\\|", -1);
            if (parts.length >= 2 && !parts[1].isEmpty()) {
                id = parts[1];
            }
        }
        return new String[] {id, description};
    }
}
