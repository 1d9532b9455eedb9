package io.msabatch.emulator;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Computes the MSA of a seed: a homology search against the shipped reference set ({@code msa-mode=search}) or
 * the seed alone ({@code seed-only}). The reference set is loaded once, lazily, and shared. Thread-safe.
 */
@Component
class MsaEngine {

    private static final Logger log = LoggerFactory.getLogger(MsaEngine.class);

    private final boolean seedOnly;
    private volatile HomologySearch search;

    MsaEngine(EmulatorSettings settings) {
        this.seedOnly = settings.seedOnly();
    }

    boolean seedOnly() {
        return seedOnly;
    }

    /** Rows of the MSA, seed first (named 101); chains joined with ':' are searched as one sequence. */
    List<MsaRow> compute(String seed) {
        String query = seed.replace(":", "");
        if (seedOnly) {
            return List.of(new MsaRow("101", query));
        }
        return search().msa(query);
    }

    HomologySearch search() {
        HomologySearch s = search;
        if (s == null) {
            synchronized (this) {
                s = search;
                if (s == null) {
                    long t0 = System.nanoTime();
                    ReferenceDatabase db = ReferenceDatabase.loadDefault();
                    s = new HomologySearch(db);
                    search = s;
                    log.info("Emulator reference set loaded: {} proteins, {} residues, in {} ms", db.size(),
                            db.totalResidues, (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
        return s;
    }
}
