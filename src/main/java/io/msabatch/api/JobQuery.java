package io.msabatch.api;

import java.time.Instant;

/** Filters of {@code GET /jobs}; null fields are not sent. {@code pageSize} is the page length the client asks for. */
public record JobQuery(JobStatus status, String jobType, Instant moreRecentThan, int pageSize) {
}
