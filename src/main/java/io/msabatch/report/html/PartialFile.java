package io.msabatch.report.html;

import io.msabatch.output.MsaFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A report file written under a temporary name beside its target ({@code .<name>.partial}, created exclusively, so
 * never through a link planted there) and renamed into place by {@link #commit}; closed without a commit, the
 * temporary file is deleted. What report.html and the MultiQC table share. Not thread-safe.
 */
final class PartialFile implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final Writer out;
    private boolean done;

    private PartialFile(Path target, Path temp, Writer out) {
        this.target = target;
        this.temp = temp;
        this.out = out;
    }

    /** Starts {@code <outputDir>/<name>}, creating the folder if needed. */
    static PartialFile create(Path outputDir, String name) {
        Path target = outputDir.resolve(name);
        Path temp = outputDir.resolve("." + name + ".partial");
        try {
            Files.createDirectories(outputDir);
            return new PartialFile(target, temp, new BufferedWriter(new OutputStreamWriter(
                    MsaFiles.createExclusively(temp), StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            throw failure(target, e);
        }
    }

    Writer writer() {
        return out;
    }

    /** The error to throw for a failed write: it names the file. */
    UncheckedIOException failure(IOException e) {
        return failure(target, e);
    }

    private static UncheckedIOException failure(Path target, IOException e) {
        return new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }

    /** Closes the file and renames it into place; returns the target. */
    Path commit() throws IOException {
        out.close();
        MsaFiles.moveIntoPlace(temp, target);
        done = true;
        return target;
    }

    /** Drops the temporary file unless it was committed. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // the temporary file is deleted next
            }
            MsaFiles.deleteQuietly(temp);
        }
    }
}
