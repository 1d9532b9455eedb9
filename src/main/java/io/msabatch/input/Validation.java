package io.msabatch.input;

import java.util.List;

/**
 * The verdict on one record. {@code sequence} is the normalised sequence (no whitespace, upper case, one terminal
 * {@code *} dropped; never null, possibly empty). When {@code accepted} is false {@code reason} is a short human
 * sentence (several problems joined by {@code "; "}); otherwise it is null. {@code warnings} never null.
 */
public record Validation(boolean accepted, String sequence, String reason, List<String> warnings) {

    public Validation {
        sequence = sequence == null ? "" : sequence;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
