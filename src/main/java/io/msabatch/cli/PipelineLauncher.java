package io.msabatch.cli;

import io.msabatch.FatalException;
import java.util.Map;

/** Starts the pipeline's Spring context and runs the job (skeleton; the job lands with issue 4). */
final class PipelineLauncher {

    private PipelineLauncher() {
    }

    static int run(Map<String, String> properties) {
        throw new FatalException("the pipeline is not built yet");
    }

    static int status(Map<String, String> properties) {
        throw new FatalException("the pipeline is not built yet");
    }
}
