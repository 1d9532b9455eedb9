package io.msabatch.job;

import io.msabatch.run.StopSignal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The execution running in this process, as seen from outside it: the shutdown hook asks it to stop and waits for its
 * end; the runner reads why it stopped. Set when an execution starts, replaced by the next one. Thread-safe.
 */
@Component
class ActiveRun {

    private volatile StopSignal stop;
    private volatile CountDownLatch ended = new CountDownLatch(0);
    private volatile CountDownLatch launched = new CountDownLatch(0);

    void started(StopSignal signal) {
        this.stop = signal;
        this.ended = new CountDownLatch(1);
    }

    void ended() {
        ended.countDown();
    }

    boolean running() {
        return ended.getCount() > 0;
    }

    /** Asks the running execution to stop; true when one was running. */
    boolean requestStop(String why) {
        StopSignal s = stop;
        if (s == null || !running()) {
            return false;
        }
        s.request(why);
        return true;
    }

    boolean awaitEnd(long seconds) throws InterruptedException {
        return ended.await(seconds, TimeUnit.SECONDS);
    }

    /**
     * The runner is about to launch an execution and will say when the launch has returned: by then Spring Batch has
     * recorded the execution's end in its repository, which it does after the listeners that call {@link #ended}.
     */
    void launching() {
        this.launched = new CountDownLatch(1);
    }

    void returned() {
        launched.countDown();
    }

    /** Waits for the launch to return (at once when no runner launched the execution, as in tests). */
    boolean awaitReturned(long seconds) throws InterruptedException {
        return launched.await(seconds, TimeUnit.SECONDS);
    }

    /** Whether the last execution stopped because it could not go on (a full disk). */
    boolean stopWasFatal() {
        StopSignal s = stop;
        return s != null && s.fatal();
    }

    /** Why the last execution was asked to stop, or null. */
    String stopReason() {
        StopSignal s = stop;
        return s == null ? null : s.reason();
    }
}
