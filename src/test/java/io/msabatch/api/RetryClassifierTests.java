package io.msabatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.api.RetryClassifier.Action;
import io.msabatch.api.RetryClassifier.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class RetryClassifierTests {

    @Test
    void retriesGetsOnTransportErrors() {
        assertThat(RetryClassifier.classifyTransport(Kind.IDEMPOTENT, new HttpTimeoutException("request timed out")))
                .isEqualTo(Action.RETRY);
        assertThat(RetryClassifier.classifyTransport(Kind.IDEMPOTENT, new EOFException("EOF reached")))
                .isEqualTo(Action.RETRY);
        assertThat(RetryClassifier.classifyTransport(Kind.IDEMPOTENT, new ConnectException()))
                .isEqualTo(Action.RETRY);
    }

    @Test
    void retriesCreatingPostOnlyWhenTheConnectionWasNeverMade() {
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING, new ConnectException("Connection refused")))
                .isEqualTo(Action.RETRY);
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING, new HttpConnectTimeoutException("connect")))
                .isEqualTo(Action.RETRY);
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING, new IOException("wrapped", new ConnectException())))
                .isEqualTo(Action.RETRY);
    }

    @Test
    void marksCreatingPostUncertainWhenItMayHaveArrived() {
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING, new HttpTimeoutException("request timed out")))
                .isEqualTo(Action.UNCERTAIN);
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING, new SocketException("Connection reset")))
                .isEqualTo(Action.UNCERTAIN);
        assertThat(RetryClassifier.classifyTransport(Kind.CREATING,
                new IOException("HTTP/1.1 header parser received no bytes"))).isEqualTo(Action.UNCERTAIN);
    }

    @Test
    void retries5xxOnGetsAnd429OnAnyMethod() {
        for (int status : new int[] {500, 502, 503, 504}) {
            assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, status)).as("GET %d", status)
                    .isEqualTo(Action.RETRY);
        }
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 429)).isEqualTo(Action.RETRY);
        assertThat(RetryClassifier.classifyStatus(Kind.CREATING, 429)).isEqualTo(Action.RETRY);
    }

    @Test
    void marksCreatingPostUncertainOnEveryServerErrorBecauseTheCdnAnswersAfterTheJobWasStored() {
        assertThat(RetryClassifier.classifyStatus(Kind.CREATING, 503)).isEqualTo(Action.UNCERTAIN);
        assertThat(RetryClassifier.classifyStatus(Kind.CREATING, 500)).isEqualTo(Action.UNCERTAIN);
        assertThat(RetryClassifier.classifyStatus(Kind.CREATING, 502)).isEqualTo(Action.UNCERTAIN);
        assertThat(RetryClassifier.classifyStatus(Kind.CREATING, 504)).isEqualTo(Action.UNCERTAIN);
    }

    @Test
    void logsInAgainOn401Or403AndNeverRetriesOther4xx() {
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 401)).isEqualTo(Action.RELOGIN);
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 403)).isEqualTo(Action.RELOGIN);
        for (int status : new int[] {400, 405, 413, 422}) {
            assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, status)).isEqualTo(Action.FAIL);
            assertThat(RetryClassifier.classifyStatus(Kind.CREATING, status)).isEqualTo(Action.FAIL);
        }
    }

    @Test
    void hands404And409AndSuccessToTheCaller() {
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 200)).isEqualTo(Action.ACCEPT);
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 404)).isEqualTo(Action.ACCEPT);
        assertThat(RetryClassifier.classifyStatus(Kind.IDEMPOTENT, 409)).isEqualTo(Action.ACCEPT);
    }
}
