package io.msabatch.poll;

import io.msabatch.api.Job;
import java.util.List;

/**
 * What processing one {@link CollectWork} produced, to be recorded by {@link AlignmentFilesWriter}. {@code files} is
 * null when a WRITE could not be done yet (the MSA was not downloadable) and must be tried again.
 */
public record CollectResult(CollectWork work, List<FileOutcome> files, Job newJob, String error) {

    /** One record's file: a checksum when written and verified, otherwise an error. */
    public record FileOutcome(long recordNo, String checksum, String error) {
    }
}
