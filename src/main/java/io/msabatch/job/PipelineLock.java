package io.msabatch.job;

import io.msabatch.run.FatalException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One live run per pipeline and state folder: an operating-system lock on {@code <state>/<name>.lock}, taken before
 * anything opens the database and released by the OS when the process dies (so a killed run never blocks the next).
 * The file says who holds it, so a second run is refused with a message naming the pipeline and the other process.
 */
public final class PipelineLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private PipelineLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of pipeline {@code name} in {@code stateDir}, or throws a one-line {@link FatalException}. */
    public static PipelineLock acquire(Path stateDir, String name) {
        Path file = stateDir.resolve(name + ".lock");
        try {
            Files.createDirectories(stateDir);
            if (Files.isSymbolicLink(file)) {
                throw new FatalException(file + " is a symbolic link; msa-batch will not write through it: remove it");
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM (another run started in-process)
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new FatalException("pipeline '" + name + "' is already running"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to finish or stop it first"
                        + " (its lock: " + file + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new PipelineLock(channel, lock);
        } catch (IOException e) {
            throw new FatalException("cannot lock pipeline '" + name + "' in " + stateDir + " (" + e.getMessage()
                    + "); check that the state folder (pipeline.state-dir) is writable", e);
        }
    }

    /** Who holds the lock of pipeline {@code name} now ("process 1234 on host, started ..."), or null when nobody does. */
    public static String holder(Path stateDir, String name) {
        Path file = stateDir.resolve(name + ".lock");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return null;
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        } catch (OverlappingFileLockException e) {
            return "this process";
        } catch (IOException e) {
            return null;
        }
    }

    /** "process 1234 on host, started 2026-12-01T20:01:02Z". */
    static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this host";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + ", started "
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases it when the process ends anyway
        }
    }
}
