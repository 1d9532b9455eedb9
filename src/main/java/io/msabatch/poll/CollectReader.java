package io.msabatch.poll;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The collect step's reader: hands out the planner's work in batches of at most {@value #MAX_BATCH} (one chunk =
 * one transaction, so a stop request is honoured within one short chunk), an empty batch after a wait (each
 * transaction spans one wait, never hours), or null at the end. State lives in the ledger, so a restart needs no
 * checkpoint. Used by one step thread.
 */
class CollectReader implements ItemReader<List<CollectWork>> {

    static final int MAX_BATCH = 200;

    private final CollectPlanner planner;
    private final ArrayDeque<CollectWork> backlog = new ArrayDeque<>();

    CollectReader(CollectPlanner planner) {
        this.planner = planner;
    }

    @Override
    public List<CollectWork> read() {
        if (backlog.isEmpty()) {
            List<CollectWork> found = planner.next();
            if (found == null || found.size() <= MAX_BATCH) {
                return found;
            }
            backlog.addAll(found);
        }
        List<CollectWork> batch = new ArrayList<>();
        while (!backlog.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(backlog.poll());
        }
        return batch;
    }
}
