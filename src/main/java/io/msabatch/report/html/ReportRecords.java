package io.msabatch.report.html;

import java.util.function.Consumer;

/**
 * The run's records in the order to show (usually by input line), handed over one at a time so that a report of
 * 100,000 records never holds them all: e.g. {@code each -> ledger.forEachRecord(runId, r -> each.accept(toRecord(r)))}.
 * Each writer walks the records once.
 */
@FunctionalInterface
public interface ReportRecords {

    void forEach(Consumer<ReportRecord> each);
}
