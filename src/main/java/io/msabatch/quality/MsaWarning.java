package io.msabatch.quality;

import java.util.Locale;

/** Why an MSA deserves a second look. {@link #code()} is what report.csv and report.html show. */
public enum MsaWarning {

    /** The service found no homolog: the file holds the query alone, and a structure predicted from it is single-sequence. */
    QUERY_ONLY,

    /** Fewer effective sequences than the configured threshold ({@code pipeline.shallow-msa-neff}). */
    SHALLOW;

    /** {@code query-only} or {@code shallow}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One line for a person: {@code shallow MSA: Neff 12.4 < 30}. */
    public String describe(MsaQuality quality, double shallowNeff) {
        return switch (this) {
            case QUERY_ONLY -> "the MSA holds only the query (no homolog found)";
            case SHALLOW -> String.format(Locale.ROOT, "shallow MSA: Neff %.1f < %s (%d sequences)", quality.neff(),
                    formatThreshold(shallowNeff), quality.sequences());
        };
    }

    private static String formatThreshold(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    }
}
