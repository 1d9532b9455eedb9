package io.msabatch.api;

/**
 * Status of an OpenProtein job. {@link #UNKNOWN} stands for any value this client does not know; it is not
 * terminal, so a new server status never ends a wait early or crashes a client.
 */
public enum JobStatus {
    PENDING(false), RUNNING(false), RETRYING(false), SUCCESS(true), FAILURE(true), CANCELED(true), UNKNOWN(false);

    private final boolean terminal;

    JobStatus(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }
}
