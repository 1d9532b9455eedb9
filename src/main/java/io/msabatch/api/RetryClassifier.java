package io.msabatch.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Decides, for one attempt of one call, what the client does next. All retry decisions live here, in one ordered
 * list (Stripe's {@code shouldRetry}); the rest of the client only carries them out. Pure and thread-safe.
 */
final class RetryClassifier {

    /** What to do after an attempt. */
    enum Action {
        /** The answer is usable (2xx), or an error the caller handles itself (404, 409). */
        ACCEPT,
        /** Wait (honouring Retry-After when given) and try again, within the attempt budget. */
        RETRY,
        /** The token was refused: log in again once and repeat the request once. */
        RELOGIN,
        /** A job-creating POST may have been processed: do not repeat it, let the caller reconcile. */
        UNCERTAIN,
        /** Never retry: the same request would fail the same way. */
        FAIL
    }

    /** How a request may be repeated. */
    enum Kind {
        /** GETs, and the login/refresh POSTs: repeating them creates nothing. */
        IDEMPOTENT,
        /** A POST that creates a (paid) job. */
        CREATING
    }

    private RetryClassifier() {
    }

    /** Classifies an attempt that got no HTTP answer. */
    static Action classifyTransport(Kind kind, Throwable error) {
        // 1. The connection was never made (refused, connect timeout, unknown host): nothing reached the server,
        //    so even a job-creating POST can be repeated.
        if (certainlyNotSent(error)) {
            return Action.RETRY;
        }
        // 2. Anything else (read timeout, reset, EOF before the answer) may have happened after the request was
        //    sent. The JDK client cannot tell a reset-before-sending apart, so a creating POST is uncertain.
        if (kind == Kind.CREATING) {
            return Action.UNCERTAIN;
        }
        // 3. Repeating a GET is harmless.
        return error instanceof IOException || error instanceof UnresolvedAddressException ? Action.RETRY : Action.FAIL;
    }

    /** Classifies an attempt that got an HTTP answer with {@code status}. */
    static Action classifyStatus(Kind kind, int status) {
        // 1. Success (and 3xx, which the client does not follow: handled by the caller as unexpected).
        if (status < 400) {
            return Action.ACCEPT;
        }
        // 2. The token expired or was revoked (FastAPI answers 403 at times for a missing token): one fresh login, one
        //    repeat (never a loop, see the client).
        if (status == 401 || status == 403) {
            return Action.RELOGIN;
        }
        // 3. Too many requests: answered before processing, so any method is retried, after Retry-After.
        if (status == 429) {
            return Action.RETRY;
        }
        // 4. Not found and not ready are answers, not faults: the caller maps them to typed exceptions.
        if (status == 404 || status == 409) {
            return Action.ACCEPT;
        }
        // 5. Other 4xx: bad input or a bug; the same request would fail again.
        if (status < 500) {
            return Action.FAIL;
        }
        // 6. Any 5xx: a GET is retried; a creating POST may have been processed. The service sits behind a CDN that
        //    answers 502/503/504 even after the job was stored ("our system will scale up and still handle the
        //    job", says the official client), so only connection refused and 429 prove a POST was not received.
        return kind == Kind.CREATING ? Action.UNCERTAIN : Action.RETRY;
    }

    static boolean certainlyNotSent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
