package io.msabatch.quality;

/** What one pass over an alignment file gives: its quality and, when asked for, its coverage picture (else null). */
public record MsaScan(MsaQuality quality, CoveragePicture picture) {
}
