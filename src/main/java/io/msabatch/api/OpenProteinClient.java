package io.msabatch.api;

import java.nio.file.Path;
import java.util.List;

/**
 * Client of the OpenProtein.AI jobs and MSA API. Thread-safe; one instance serves the whole run.
 * (Skeleton: the implementation lands with issue 3.)
 */
public class OpenProteinClient {

    /** Submits {@code sequence} as the seed of an MSA job. Throws {@link UncertainSubmissionException} when the POST may have arrived. */
    public Job submitMsa(String sequence) {
        throw new UnsupportedOperationException("not built yet");
    }

    public Job getJob(String jobId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Every job matching {@code query}, walking all pages, newest first. */
    public List<Job> listJobs(JobQuery query) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Streams the GENERATED MSA of a SUCCESS job (the service's headerless {@code name,sequence} CSV) into {@code target}. */
    public void downloadMsa(String jobId, Path target) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The seed sequence the job was submitted with (RAW), as uploaded. */
    public String fetchSeed(String jobId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** HTTP requests sent so far, for the run summary. */
    public long requestCount() {
        return 0;
    }
}
