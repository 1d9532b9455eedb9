package io.msabatch.output;

import java.nio.file.Path;

/** An alignment file in its final place: its path, the SHA-256 of its bytes (lowercase hex) and its row count, query included. */
public record WrittenFile(Path path, String sha256, int rows) {
}
