package io.msabatch.run;

import io.msabatch.input.InputFormat;
import io.msabatch.output.OutputFormat;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of one pipeline ({@code pipeline.*}, usually from {@code jobs-config/<name>.yml}). Paths are resolved
 * against the working directory. Durations accept {@code 500ms}, {@code 30s}, {@code 12h}, {@code 30d}.
 *
 * @param name            the pipeline's name (the config file's name, or {@code --name}); part of the run's identity
 * @param input           input FASTA or CSV
 * @param format          {@code auto} (by extension), {@code fasta} or {@code csv}
 * @param output          output directory
 * @param outputFormat    {@code a3m} (default), {@code fasta} (aligned FASTA) or {@code sto} (Stockholm; also {@code stockholm})
 * @param maxLength       longest accepted sequence, in residues
 * @param maxInFlight     most jobs submitted and not yet finished at once; submission waits beyond it
 * @param resubmitFailed  how many times a job that ends FAILURE is submitted again
 * @param deadline        overall wait for jobs in one execution; unfinished jobs are then reported TIMED_OUT
 * @param pollMin         shortest wait between status checks
 * @param pollMax         longest wait between status checks
 * @param listThreshold   with at least this many jobs in flight, statuses come from {@code GET /jobs} pages
 * @param chunkSize       records per transaction (and per group commit of write-ahead intents) in the submit step
 * @param downloadThreads parallel downloads
 * @param submitThreads   parallel submissions
 * @param downloadAttempts how many times a failing MSA download is tried (each with the client's retries) before
 *                        its records end ERROR
 * @param giveUpAfter     a service that has answered nothing usable for this long stops the run (resumable)
 * @param runDate         the night this run belongs to ({@code yyyy-MM-dd}); empty = today
 * @param reuseMaxAge     a sequence whose job (of any earlier run in this database) is in flight or succeeded
 *                        within this age is adopted or reused instead of submitted; {@code 0} recomputes everything
 * @param a3mColabfoldHeader start each A3M file with ColabFold's {@code #<query length>\t1} line
 * @param shallowMsaNeff  an MSA with a Neff (80% identity) below this is flagged {@code shallow} in the reports
 * @param reportMsaPictures how many coverage pictures {@code report.html} holds (the first records that have one)
 * @param minFreeSpace    the run stops (resumable) while the output or state folder has less free space than this
 * @param progressInterval how often a progress line is logged when the output is not a terminal
 * @param metricsTextfile also write the run's metrics here at its end, for node-exporter's textfile collector
 * @param stateDir        where the H2 database, the lock and the embedded emulator's data live (empty =
 *                        {@code .msa-batch/} inside the output directory; resolved before the context starts)
 */
@ConfigurationProperties(prefix = "pipeline", ignoreUnknownFields = false)
public record PipelineProperties(
        @DefaultValue("example") String name,
        @DefaultValue("input/example.fasta") Path input,
        @DefaultValue("auto") InputFormat format,
        @DefaultValue("output/example") Path output,
        @DefaultValue("a3m") OutputFormat outputFormat,
        @DefaultValue("10000") int maxLength,
        @DefaultValue("1000") int maxInFlight,
        @DefaultValue("1") int resubmitFailed,
        @DefaultValue("12h") Duration deadline,
        @DefaultValue("500ms") Duration pollMin,
        @DefaultValue("30s") Duration pollMax,
        @DefaultValue("3") int listThreshold,
        @DefaultValue("100") int chunkSize,
        @DefaultValue("4") int downloadThreads,
        @DefaultValue("8") int submitThreads,
        @DefaultValue("5") int downloadAttempts,
        @DefaultValue("15m") Duration giveUpAfter,
        @DefaultValue("") String runDate,
        @DefaultValue("30d") Duration reuseMaxAge,
        @DefaultValue("false") boolean a3mColabfoldHeader,
        @DefaultValue("30") double shallowMsaNeff,
        @DefaultValue("200") int reportMsaPictures,
        @DefaultValue("50MB") org.springframework.util.unit.DataSize minFreeSpace,
        @DefaultValue("30s") Duration progressInterval,
        Path metricsTextfile,
        Path stateDir) {

    public PipelineProperties {
        if (maxLength < 1 || maxLength > 100_000) {
            throw new IllegalArgumentException("pipeline.max-length must be between 1 and 100000, not " + maxLength);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("pipeline.max-in-flight must be at least 1");
        }
        if (resubmitFailed < 0) {
            throw new IllegalArgumentException("pipeline.resubmit-failed must be 0 or more");
        }
        if (chunkSize < 1 || downloadThreads < 1 || submitThreads < 1 || listThreshold < 1 || downloadAttempts < 1) {
            throw new IllegalArgumentException("pipeline.chunk-size, download-threads, submit-threads, list-threshold"
                    + " and download-attempts must be at least 1");
        }
        if (reuseMaxAge != null && reuseMaxAge.isNegative()) {
            throw new IllegalArgumentException("pipeline.reuse-max-age must be 0 (off) or a positive duration such as 30d");
        }
        if (shallowMsaNeff < 0 || reportMsaPictures < 0) {
            throw new IllegalArgumentException("pipeline.shallow-msa-neff and pipeline.report-msa-pictures must be 0 or more");
        }
        if (reuseMaxAge == null) {
            reuseMaxAge = Duration.ZERO;
        }
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("pipeline.name '" + name + "' must be 1-100 letters, digits, '.', '_' or '-'"
                    + " (it names the pipeline's state and lock)");
        }
    }

    /** The absolute state folder, worked out before the context starts (see the command line's launcher). */
    public static final String STATE_DIR_KEY = "msa-batch.state-dir";

    /** Whether earlier runs' jobs may be adopted or reused. */
    public boolean reuses() {
        return !reuseMaxAge.isZero();
    }
}
