/**
 * The run's reports for people and tools beside report.csv: {@code report.html} (self-contained, streaming) and
 * MultiQC's {@code msa-batch_mqc.tsv}, both written from one {@link io.msabatch.report.html.ReportRecords} source.
 * Imports {@code quality} (the pictures); knows nothing of the ledger or the job.
 */
package io.msabatch.report.html;
