package io.msabatch.cli;

import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.flywaydb.core.Flyway;

/**
 * Loads, on the second core, the libraries a run needs only after the Spring context is up, while the main thread
 * parses the command line and builds the context: the JDK's HTTP client and its default TLS context, H2's engine, and
 * Flyway with the pipeline's own migrations (against a private in-memory H2 database that is dropped at once). Each
 * of these was a second or more of class loading on the critical path before the first POST (README, "Benchmarks").
 * Spring Boot's {@code BackgroundPreinitializer} does the same for its own libraries.
 *
 * <p>Flyway waits for {@link #loggingReady()}: it logs through SLF4J, and before Spring Boot has configured logging
 * Logback would print its own status lines on the terminal. Nothing here touches the pipeline's database, folders or
 * the network; a failure only means the main thread loads the classes itself, so it is ignored.
 */
final class Warmup {

    /** How long the warm-up waits for logging; a run that has not configured it by then has failed or is slow. */
    private static final long LOGGING_WAIT_SECONDS = 30;

    private static volatile CountDownLatch logging = new CountDownLatch(0);

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread of minimum priority, so that it only uses a core the run leaves idle. */
    static void start() {
        CountDownLatch ready = new CountDownLatch(1);
        logging = ready;
        Thread t = new Thread(() -> run(ready), "warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Spring Boot has configured logging (its environment is prepared): Flyway may load and log. */
    static void loggingReady() {
        logging.countDown();
    }

    private static void run(CountDownLatch ready) {
        // a name of its own: runs started in one JVM (tests) never share or shut down each other's warm-up database
        String database = "jdbc:h2:mem:msa-batch-warmup-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try {
            SSLContext.getDefault();
            HttpClient.newBuilder();
            try (Connection c = DriverManager.getConnection(database, "sa", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE WARMUP (ID BIGINT PRIMARY KEY, NAME VARCHAR(64), AT TIMESTAMP WITH TIME ZONE)");
                s.execute("CREATE INDEX WARMUP_NAME ON WARMUP (NAME)");
                s.execute("INSERT INTO WARMUP VALUES (1, 'a', CURRENT_TIMESTAMP)");
                s.executeQuery("SELECT COUNT(*) FROM WARMUP WHERE NAME = 'a'").close();
            }
            if (ready.await(LOGGING_WAIT_SECONDS, TimeUnit.SECONDS)) {
                Flyway.configure()
                        .dataSource(database, "sa", "")
                        .locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2")
                        .load()
                        .migrate();
            }
            try (Connection c = DriverManager.getConnection(database, "sa", ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        } catch (Exception | LinkageError ignored) {
            // a warm-up only: the run loads what it needs itself
        }
    }
}
