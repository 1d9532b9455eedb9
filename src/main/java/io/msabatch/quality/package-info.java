/**
 * How good an MSA is, read from the alignment file msa-batch wrote: depth (rows, Neff at 80% identity), query
 * coverage, the query-only and shallow warnings, and the sample its coverage picture draws. Imports {@code output}
 * (the format and its row reader) and nothing else of msa-batch; steps call {@link io.msabatch.quality.MsaScanner}.
 */
package io.msabatch.quality;
