package io.msabatch.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code msa-batch} as a separate JVM on the test classpath, its output going to a log file. */
final class PipelineProcess {

    private PipelineProcess() {
    }

    static Process start(Path log, List<String> args) throws IOException {
        return start(log, Path.of(System.getProperty("user.dir")), args);
    }

    /** As {@link #start(Path, List)}, run from {@code workingDir} (what relative paths are relative to). */
    static Process start(Path log, Path workingDir, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.msabatch.MsaBatchApplication");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(workingDir.toFile());
        pb.environment().remove("OPENPROTEIN_USERNAME");
        pb.environment().remove("OPENPROTEIN_PASSWORD");
        return pb.start();
    }
}
