package io.msabatch.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps any one CSV record within {@value #MAX_RECORD_CHARS} characters while Commons CSV reads it: beyond that, the
 * record's characters are dropped (never held in memory) except quotes and line breaks, so the quoting and the line
 * numbers stay as they were; the line where such a record starts is remembered, so that the record is rejected with
 * a reason instead of stopping the run. Records are told apart as CSV does: a line break outside quotes ends one.
 */
final class BoundedRecordReader extends FilterReader {

    /** No protein sequence, with its other columns, comes near this. */
    static final int MAX_RECORD_CHARS = 1_000_000;

    private long line = 1;
    private long recordStartLine = 1;
    private long recordChars;
    private boolean inQuotes;
    private boolean lastWasCr;
    private final Set<Long> overlong = new HashSet<>();

    BoundedRecordReader(Reader in) {
        super(in);
    }

    /** Whether the record that starts on {@code line} was cut short. */
    boolean overlong(long startLine) {
        return overlong.contains(startLine);
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = in.read(buffer, off, len);
            if (n < 0) {
                return n;
            }
            int kept = 0;
            for (int i = 0; i < n; i++) {
                char c = buffer[off + i];
                if (accept(c)) {
                    buffer[off + kept++] = c;
                }
            }
            if (kept > 0) {
                return kept;
            }
        }
    }

    private boolean accept(char c) {
        boolean crlf = c == '\n' && lastWasCr;
        lastWasCr = c == '\r';
        if (c == '"') {
            inQuotes = !inQuotes;
            return true;
        }
        if (c == '\n' || c == '\r') {
            if (!crlf) {
                line++;
            }
            if (!inQuotes) {
                recordStartLine = line;
                recordChars = 0;
            }
            return true;
        }
        if (++recordChars > MAX_RECORD_CHARS) {
            overlong.add(recordStartLine);
            return false;
        }
        return true;
    }
}
