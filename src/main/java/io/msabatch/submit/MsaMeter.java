package io.msabatch.submit;

import io.msabatch.ledger.MsaStats;
import io.msabatch.output.InvalidMsaException;
import io.msabatch.output.OutputFormat;
import io.msabatch.quality.MsaQuality;
import io.msabatch.quality.MsaScan;
import io.msabatch.quality.MsaScanner;
import io.msabatch.quality.MsaWarning;
import io.msabatch.quality.QualitySettings;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures an alignment file once it is written: depth, Neff, coverage and warning, plus the coverage picture for the
 * first {@code pipeline.report-msa-pictures} jobs of the run. A file that cannot be measured gives no figures (the
 * record keeps its file): measuring never fails a record. Thread-safe; one per execution.
 */
public class MsaMeter {

    private static final Logger log = LoggerFactory.getLogger(MsaMeter.class);

    private final OutputFormat format;
    private final double shallowNeff;
    private final AtomicInteger picturesLeft;

    public MsaMeter(OutputFormat format, double shallowNeff, int picturesLeft) {
        this.format = format;
        this.shallowNeff = shallowNeff;
        this.picturesLeft = new AtomicInteger(Math.max(0, picturesLeft));
    }

    /** The figures of {@code file}, or null when it cannot be read as an alignment. */
    public MsaStats measure(Path file) {
        boolean picture = picturesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        try {
            MsaScan scan = MsaScanner.scan(file, format, picture ? QualitySettings.defaults()
                    : QualitySettings.defaults().withoutPicture());
            MsaQuality q = scan.quality();
            MsaWarning warning = q.warning(shallowNeff);
            return new MsaStats(q.sequences(), q.neff(), q.neffEstimated(), q.coverageMean(), q.coverageMin(),
                    warning == null ? null : warning.code(), scan.picture() == null ? null : scan.picture().toJson());
        } catch (InvalidMsaException | UncheckedIOException | IllegalArgumentException e) {
            log.warn("Could not measure {}: {}", file, e.getMessage());
            return null;
        }
    }
}
