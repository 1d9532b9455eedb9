package io.msabatch.output;

/**
 * The service's MSA, or a file written from it, is not a valid alignment of the input sequence (the seed differs, a row
 * has the wrong number of columns or a character that is not a residue). The message names the row and the problem.
 * Permanent: fetching the same answer again will not help.
 */
public class InvalidMsaException extends RuntimeException {

    public InvalidMsaException(String message) {
        super(message);
    }

    public InvalidMsaException(String message, Throwable cause) {
        super(message, cause);
    }
}
