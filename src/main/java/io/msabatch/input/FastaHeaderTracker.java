package io.msabatch.input;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Watches the bytes that BioJava's FastaReader pulls and queues every record start (header line number and text) in
 * file order, noting whether any sequence line followed it. It classifies lines exactly as FastaReader does (trimmed;
 * {@code >} header, {@code ;} comment, blank skipped, anything else sequence; CR, LF and CRLF end a line), so the
 * reader can pair each record BioJava returns with its header and emit the headers BioJava skipped (no sequence lines).
 * Bytes reach FastaReader only after they passed here, so when FastaReader returns a record every header before it is
 * already queued and complete.
 */
final class FastaHeaderTracker extends FilterInputStream {

    /** A record start: its 1-based line, the header text after {@code >} and whether sequence lines followed. */
    static final class Entry {
        final long line;
        String header;
        boolean hasSequence;
        long residues;
        /** Why the record was cut short while reading (bounded reading), or null. */
        String problem;

        Entry(long line, String header) {
            this.line = line;
            this.header = header;
        }
    }

    private enum LineState { LEADING_SPACE, HEADER, OTHER }

    /** Longest header line kept; the rest of it is dropped (never held) and the record rejected. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Longest record (sequence characters) kept; the rest is dropped and the record rejected. */
    static final long MAX_RECORD_BYTES = 1_000_000;

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
    private long lineNo = 1;
    private LineState state = LineState.LEADING_SPACE;
    private boolean lastWasCr;
    private Entry current;
    private boolean eof;

    FastaHeaderTracker(InputStream in) {
        super(in);
    }

    /** Lines read whole so far (a read that fails fails after this line). */
    long linesRead() {
        return lineNo - 1;
    }

    /** The oldest record start not yet taken, or null. */
    Entry poll() {
        return entries.poll();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b = super.read();
            if (b < 0) {
                endOfInput();
                return b;
            }
            if (accept(b)) {
                return b;
            }
        }
    }

    /** Passes on the bytes it keeps (compacted in place): bytes beyond the bounds never reach the FASTA parser. */
    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = super.read(buffer, off, len);
            if (n < 0) {
                endOfInput();
                return n;
            }
            int kept = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer[off + i];
                if (accept(b & 0xFF)) {
                    buffer[off + kept++] = b;
                }
            }
            if (kept > 0) {
                return kept;
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Classifies one byte; false when it is dropped (over a bound). */
    private boolean accept(int b) {
        if (b == '\n' && lastWasCr) {
            lastWasCr = false;
            return true; // second half of CRLF: the line already ended at CR
        }
        lastWasCr = b == '\r';
        if (b == '\n' || b == '\r') {
            endLine();
            lineNo++;
            return true;
        }
        switch (state) {
            case LEADING_SPACE -> {
                if (b <= ' ') {
                    return true; // String.trim() drops these too
                }
                if (b == '>') {
                    state = LineState.HEADER;
                    current = new Entry(lineNo, "");
                    entries.add(current);
                    headerBytes.reset();
                    return true;
                }
                state = LineState.OTHER;
                if (b != ';') {
                    sequenceLine();
                    return residue(b);
                }
                return true;
            }
            case HEADER -> {
                if (headerBytes.size() >= MAX_HEADER_BYTES) {
                    if (current.problem == null) {
                        current.problem = "header line " + current.line + " is over " + MAX_HEADER_BYTES / 1024
                                + " KB; shorten it";
                    }
                    return false;
                }
                headerBytes.write(b);
                return true;
            }
            default -> {
                return current != null && current.hasSequence ? residue(b) : true;
            }
        }
    }

    /** Counts one byte of a sequence line; false once the record is over its bound. */
    private boolean residue(int b) {
        if (b <= ' ') {
            return true;
        }
        if (++current.residues > MAX_RECORD_BYTES) {
            if (current.problem == null) {
                current.problem = "the record at line " + current.line + " is over " + MAX_RECORD_BYTES
                        + " characters; no protein is that long";
            }
            return false;
        }
        return true;
    }

    private void sequenceLine() {
        if (current == null) {
            // Sequence text before any header: FastaReader makes it a record with an empty header; so do we.
            current = new Entry(lineNo, "");
            entries.add(current);
        }
        current.hasSequence = true;
    }

    private void endLine() {
        if (state == LineState.HEADER) {
            current.header = headerBytes.toString(StandardCharsets.UTF_8).strip();
            headerBytes.reset();
        }
        state = LineState.LEADING_SPACE;
    }

    private void endOfInput() {
        if (!eof) {
            eof = true;
            endLine();
        }
    }
}
