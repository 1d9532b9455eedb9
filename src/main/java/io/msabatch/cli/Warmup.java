package io.msabatch.cli;

import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.net.ssl.SSLContext;
import org.flywaydb.core.Flyway;

/**
 * Loads, on the second core, the libraries a run needs only after the Spring context is up, while the main thread
 * parses the command line and builds the context: H2's engine, Flyway with the pipeline's own migrations (against a
 * private in-memory H2 database that is dropped at once), the JDK's HTTP client and its default TLS context. Each of
 * these was a second or more of class loading on the critical path before the first POST (README, "Benchmarks").
 * Spring Boot's {@code BackgroundPreinitializer} does the same for its own libraries.
 *
 * <p>Nothing here touches the pipeline's database, folders or the network; a failure only means the main thread
 * loads the classes itself, so it is ignored.
 */
final class Warmup {

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread of minimum priority, so that it only uses a core the run leaves idle. */
    static void start() {
        Thread t = new Thread(Warmup::run, "warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        // a name of its own: runs started in one JVM (tests) never share or shut down each other's warm-up database
        String database = "jdbc:h2:mem:msa-batch-warmup-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try {
            Flyway.configure()
                    .dataSource(database, "sa", "")
                    .locations("classpath:db/pipeline/common", "classpath:db/pipeline/h2")
                    .load()
                    .migrate();
            try (Connection c = DriverManager.getConnection(database, "sa", ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            SSLContext.getDefault();
            HttpClient.newBuilder();
        } catch (Exception | LinkageError ignored) {
            // a warm-up only: the run loads what it needs itself
        }
    }
}
