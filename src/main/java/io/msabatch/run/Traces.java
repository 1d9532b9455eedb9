package io.msabatch.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where full stack traces go: the run's log file (logger {@code io.msabatch.trace}, at DEBUG, which the terminal never
 * shows). What the user reads is one line saying where to find them.
 */
public final class Traces {

    private static final Logger trace = LoggerFactory.getLogger("io.msabatch.trace");

    private Traces() {
    }

    /** Logs {@code e} with its stack trace to the log file only. */
    public static void keep(String what, Throwable e) {
        trace.debug("{}: {}", what, e.toString(), e);
    }

    /** " (full trace in <log file>)", or "" when no log file is written. */
    public static String where() {
        String file = System.getProperty("LOG_FILE");
        return file == null || file.isBlank() ? "" : " (full trace in " + file + ")";
    }
}
