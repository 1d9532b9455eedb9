package io.msabatch.report.html;

import io.msabatch.quality.CoveragePicture;

/**
 * One input record as report.html shows it. Everything but {@code line}, {@code id} and {@code status} may be null
 * (a rejected record has no job, file or quality).
 *
 * @param line          the record's line in the input
 * @param id            its id
 * @param status        its outcome ({@code SUCCESS}, {@code REJECTED}, {@code FAILURE}...)
 * @param jobId         the service's job id
 * @param file          its alignment file, relative to the output directory (the page links to it)
 * @param origin        where the MSA came from: {@code submitted}, {@code adopted} or {@code reused}
 * @param sequences     rows in the MSA, query included
 * @param neff          Neff at 80% identity
 * @param neffEstimated true when Neff is the sampling estimate
 * @param coverageMean  mean query coverage
 * @param coverageMin   minimum query coverage
 * @param warning       {@code query-only}, {@code shallow} or null
 * @param error         why there is no file, or a warning sentence
 * @param picture       the MSA's coverage picture, if this record is one of those pictured
 */
public record ReportRecord(long line, String id, String status, String jobId, String file, String origin,
                           Integer sequences, Double neff, Boolean neffEstimated, Double coverageMean, Double coverageMin,
                           String warning, String error, CoveragePicture picture) {
}
