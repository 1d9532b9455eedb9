package io.msabatch.api;

import java.time.Instant;
import java.util.List;

/** What a status check needs of the service: one job, a listing, and the service's clock. */
public interface JobLookup {

    /** The job; {@link JobNotFoundException} when the service does not know it (yet). */
    Job getJob(String jobId);

    /** Every job matching the query, each once, newest first. */
    List<Job> listJobs(JobQuery query);

    /** The service's time at our {@code local} instant (as far as known). */
    Instant serviceTime(Instant local);

    /** Whether {@link #serviceTime} is calibrated. */
    boolean knowsServiceClock();
}
