package io.msabatch.api;

/**
 * The client cannot be set up as configured: no or incomplete credentials, an unreadable credentials file, a base URL
 * that is not allowed. The message is one sentence naming the setting and the fix; the command line shows it alone
 * (exit code 1).
 */
public class OpenProteinSetupException extends RuntimeException {

    public OpenProteinSetupException(String message) {
        super(message);
    }

    public OpenProteinSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
