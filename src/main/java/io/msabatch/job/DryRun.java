package io.msabatch.job;

import io.msabatch.input.InputFormat;
import io.msabatch.input.SeedFileReader;
import io.msabatch.input.SeedReaders;
import io.msabatch.input.SeedRecord;
import io.msabatch.input.SeedValidator;
import io.msabatch.input.Validation;
import io.msabatch.ledger.Ledger;
import io.msabatch.ledger.RunLedger;
import io.msabatch.output.MsaFiles;
import io.msabatch.run.PipelineProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What a run would do with its input, found without contacting the service, starting the emulator or writing
 * anything: every record read with the run's reader and checked with its validator and its repeated-id rule, the
 * distinct sequences counted, and those an earlier run computed within {@code pipeline.reuse-max-age} looked up in the
 * ledger when one is given (read only). Holds one hash per distinct sequence and id, never the sequences.
 */
public final class DryRun {

    /** How many rejected records the report lists. */
    public static final int LISTED_REJECTS = 5;

    private DryRun() {
    }

    /** A rejected record: the line where it starts, its id and why. */
    public record Reject(long line, String id, String reason) {
    }

    /**
     * The verdict. {@code firstRejects} holds at most {@link #LISTED_REJECTS}; {@code reusable} is null when it could
     * not be looked up ({@code ledgerNote} says why), and {@code inFlight} counts the reusable sequences whose earlier
     * job has not finished yet (a run would adopt them).
     */
    public record Report(Path input, InputFormat format, long records, long accepted, long warned, List<Reject> firstRejects,
                         long rejected, long distinct, Integer reusable, int inFlight, String ledgerNote) {

        /** Sequences a run would submit: the distinct ones less the reusable ones (all of them when unknown). */
        public long toSubmit() {
            return distinct - (reusable == null ? 0 : reusable);
        }
    }

    /**
     * Reads and checks {@code input} as the run would (format and maximum length from {@code settings}). {@code ledger}
     * is the pipeline's existing database, or null when there is none ({@code noLedger} then says why); it is only
     * read. Throws {@code InputFileException} for a file that cannot be read as a whole, as the run does.
     */
    public static Report of(PipelineProperties settings, Path input, DataSource ledger, String noLedger, Clock clock) {
        SeedValidator validator = new SeedValidator(settings.maxLength());
        SeedFileReader reader = SeedReaders.open(input, settings.format());
        Map<String, String[]> firstById = new HashMap<>(); // id → {sequence hash, line}, the first accepted record
        Set<String> hashes = new HashSet<>();
        List<Reject> rejects = new ArrayList<>();
        long records = 0;
        long accepted = 0;
        long rejected = 0;
        long warned = 0;
        reader.open(new ExecutionContext());
        try {
            for (SeedRecord r; (r = reader.read()) != null; ) {
                records++;
                Validation v = validator.validate(r);
                String reason = v.reason();
                String hash = null;
                if (v.accepted()) {
                    hash = MsaFiles.sha256(v.sequence());
                    String[] first = firstById.putIfAbsent(r.id(), new String[] {hash, Long.toString(r.line())});
                    if (first != null && !first[0].equals(hash)) {
                        reason = "id '" + r.id() + "' was already used on line " + first[1] + " for a different sequence";
                    }
                }
                if (!v.accepted() || reason != null) {
                    rejected++;
                    if (rejects.size() < LISTED_REJECTS) {
                        rejects.add(new Reject(r.line(), r.id(), reason));
                    }
                    continue;
                }
                accepted++;
                warned += v.warnings().isEmpty() ? 0 : 1;
                hashes.add(hash);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("reading " + input + " failed: " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        Integer reusable = null;
        int inFlight = 0;
        String note = noLedger;
        if (!settings.reuses()) {
            reusable = 0;
            note = "reuse is off (pipeline.reuse-max-age=0)";
        } else if (ledger != null && !hashes.isEmpty()) {
            try {
                Instant since = clock.instant().minus(settings.reuseMaxAge());
                // run id -1 is no run: every earlier run's jobs count, as for a run that starts afresh
                RunLedger earlier = new Ledger(ledger, new DataSourceTransactionManager(ledger), clock).run(-1);
                Map<String, RunLedger.CachedJob> cached = earlier.cached(hashes, since, since);
                reusable = cached.size();
                inFlight = (int) cached.values().stream().filter(c -> !c.finished()).count();
                note = null;
            } catch (DataAccessException e) {
                String why = firstLine(e.getMostSpecificCause().getMessage());
                note = why.contains("locked") || why.contains("90020") || why.contains("already in use")
                        ? "the pipeline's database is in use by a running process (run --dry-run again once it ends)"
                        : "the ledger could not be read: " + why;
            }
        } else {
            reusable = 0; // nothing read, or no database: nothing to reuse
            note = ledger == null ? noLedger : null;
        }
        return new Report(input, InputFormat.resolve(input, settings.format()), records, accepted, warned,
                List.copyOf(rejects), rejected, hashes.size(), reusable, inFlight, note);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
