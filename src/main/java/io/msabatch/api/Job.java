package io.msabatch.api;

import java.time.Instant;

/**
 * One job as the service describes it. {@code rawStatus} keeps the wire value (useful when {@code status} is
 * {@link JobStatus#UNKNOWN}). Dates are UTC instants (naive dates from the service are read as UTC); any may be null.
 */
public record Job(String jobId, String jobType, JobStatus status, String rawStatus, Instant createdDate,
                  Instant startDate, Instant endDate, String failureMessage, Integer progressCounter) {
}
