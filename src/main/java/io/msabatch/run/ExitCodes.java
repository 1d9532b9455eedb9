package io.msabatch.run;

/** Exit codes of {@code msa-batch}; documented in README ("Exit codes"). */
public final class ExitCodes {
    /** Every accepted record has its file and nothing was rejected. */
    public static final int OK = 0;
    /** Fatal: unreadable input, bad settings, a failed run (run again to resume). */
    public static final int FATAL = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** The run completed but some records have no file (rejected, failed, timed out). */
    public static final int INCOMPLETE = 3;
    /** Stopped on request before the end (run again to resume). A SIGTERM'd JVM itself exits 143. */
    public static final int STOPPED = 4;

    private ExitCodes() {
    }
}
