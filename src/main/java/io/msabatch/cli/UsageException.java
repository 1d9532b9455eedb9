package io.msabatch.cli;

/** A bad command line found after parsing (an unknown setting or command): exit code 2, its message on one line. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
