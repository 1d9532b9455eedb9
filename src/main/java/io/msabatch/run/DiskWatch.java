package io.msabatch.run;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stops a run before a full disk can hurt it: the database and the files need room, and an embedded database that
 * meets a full disk may spin instead of failing. While the output or state folder has less than
 * {@code pipeline.min-free-space} free, {@link #problem()} says so in one line ("no space left on ..."). Cheap
 * (one statfs per folder); thread-safe.
 */
public final class DiskWatch {

    private final List<Path> folders;
    private final long minFreeBytes;

    public DiskWatch(List<Path> folders, long minFreeBytes) {
        this.folders = folders;
        this.minFreeBytes = minFreeBytes;
    }

    /** Null when every folder has room; otherwise the one line to end the run with. */
    public String problem() {
        if (minFreeBytes <= 0) {
            return null;
        }
        for (Path folder : folders) {
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                continue;
            }
            try {
                FileStore store = Files.getFileStore(existing);
                long free = store.getUsableSpace();
                if (free < minFreeBytes) {
                    return "no space left on " + folder + " (" + human(free) + " free, less than pipeline.min-free-space "
                            + human(minFreeBytes) + "); free some space and run the same command again to resume";
                }
            } catch (IOException e) {
                return "cannot tell the free space of " + folder + " (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    static String human(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : bytes >= 1 << 10 ? (bytes >> 10) + " KB" : bytes + " bytes";
    }
}
