package io.msabatch.api;

/**
 * The service refused our credentials (a login answered 401 or 403) or kept refusing a fresh token. Fatal for a run:
 * nothing can work until the credentials are fixed. The message names the user and the login route, never the password.
 */
public class AuthenticationException extends PermanentApiException {

    public AuthenticationException(String message, int status, String route, String detail) {
        super(message, status, route, null, detail, null);
    }
}
