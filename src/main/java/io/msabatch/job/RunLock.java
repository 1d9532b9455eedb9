package io.msabatch.job;

import io.msabatch.FatalException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Guarantees one live run per pipeline, so that an execution left STARTED can safely be recovered. On H2 the
 * database file itself is the lock (a second process cannot open it). On PostgreSQL a session-level advisory lock,
 * held on a dedicated connection for the life of the process and released by the server if the process dies.
 */
@Component
public class RunLock implements DisposableBean {

    private final DataSource dataSource;
    private Connection held;

    public RunLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock or throws a {@link FatalException} saying another run is alive. */
    public synchronized void acquire(String pipeline) {
        try {
            Connection c = dataSource.getConnection();
            if (!"PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
                c.close();
                return; // H2 file mode: opening the database already excluded other processes
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, ("msa-batch:" + pipeline).hashCode());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        throw new FatalException("pipeline '" + pipeline + "' is already running in another process "
                                + "(its PostgreSQL lock is held); wait for it to finish or stop it first");
                    }
                }
            }
            held = c;
        } catch (SQLException e) {
            throw new FatalException("cannot reach the pipeline database: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void destroy() throws SQLException {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
