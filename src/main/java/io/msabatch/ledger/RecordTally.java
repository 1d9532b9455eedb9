package io.msabatch.ledger;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This run's records counted by state, read again at a cost bounded by what can have changed since the last reading
 * (the records that were still waiting, and those inserted since), not by the size of the run: the progress line's
 * reading counted every record of the run each time (4.8 % of a 20,000-record run's CPU samples, more as the run
 * grows). Exact because a record only ever moves out of PENDING ({@link RunLedger}'s transitions all start from it)
 * and records are inserted in input order by one writer whose chunks commit in turn, so a record number below the
 * highest one read never appears later. Not thread-safe: one per reader.
 */
public final class RecordTally {

    private final RunLedger run;
    /** Records below {@link #next} that had their outcome when read (an outcome is final). */
    private final Map<RecordState, Long> settled = new EnumMap<>(RecordState.class);
    /** Records below {@link #next} still PENDING when last read: looked up again, by number, at each reading. */
    private final Set<Long> waiting = new HashSet<>();
    /** The first record number not read yet. */
    private long next;
    private long rowsRead;

    RecordTally(RunLedger run) {
        this.run = run;
        for (RecordState s : RecordState.values()) {
            settled.put(s, 0L);
        }
    }

    /** The run's records by state now, every state present (zero when none), in the enum's order. */
    public Map<RecordState, Long> read() {
        long rows = 0;
        if (!waiting.isEmpty()) {
            Map<Long, RecordState> now = run.statesOf(waiting);
            rows += now.size();
            waiting.removeIf(n -> {
                RecordState state = now.get(n); // null cannot happen (records are never deleted): not counted then
                if (state != null && state != RecordState.PENDING) {
                    settled.merge(state, 1L, Long::sum);
                }
                return state != RecordState.PENDING;
            });
        }
        long[] last = {next - 1, 0};
        run.forEachStateFrom(next, (recordNo, state) -> {
            if (state == RecordState.PENDING) {
                waiting.add(recordNo);
            } else {
                settled.merge(state, 1L, Long::sum);
            }
            last[0] = Math.max(last[0], recordNo);
            last[1]++;
        });
        next = last[0] + 1;
        rowsRead = rows + last[1];
        Map<RecordState, Long> counts = new EnumMap<>(settled);
        counts.merge(RecordState.PENDING, (long) waiting.size(), Long::sum);
        return counts;
    }

    /** How many record rows the last {@link #read()} asked the database for (what it cost). */
    public long rowsRead() {
        return rowsRead;
    }
}
