package io.msabatch;

import io.msabatch.cli.Cli;

/**
 * Entry point of {@code msa-batch.jar}: hands the arguments to the command line ({@code run}, {@code emulator},
 * {@code status}) and exits with the code the command returns.
 */
public final class MsaBatchApplication {

    private MsaBatchApplication() {
    }

    public static void main(String[] args) {
        int code = Cli.execute(args);
        if (code != Cli.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
