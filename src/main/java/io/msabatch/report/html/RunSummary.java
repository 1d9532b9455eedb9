package io.msabatch.report.html;

import java.time.Duration;
import java.time.Instant;
import io.msabatch.ledger.RecordState;
import java.util.Map;

/**
 * What report.html says about the run as a whole. Null fields are shown as "—".
 *
 * @param pipeline     the pipeline's name ({@code pipeline.config-name})
 * @param input        the input file as the user named it
 * @param outputFormat the alignment files' format ({@code a3m}, {@code fasta}, {@code sto})
 * @param started      when this execution started
 * @param ended        when it ended
 * @param elapsed      wall time of this execution
 * @param requests     HTTP requests made to the service
 * @param counts       records by state (those present), in the order to show
 * @param shallowNeff  the Neff below which an MSA is called shallow
 */
public record RunSummary(String pipeline, String input, String outputFormat, Instant started, Instant ended,
                         Duration elapsed, Long requests, Map<RecordState, Long> counts, double shallowNeff) {
}
