package io.msabatch.job;

import io.msabatch.run.FatalException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, where several machines may share one job repository, guarantees one live run per pipeline with a
 * session-level advisory lock held on a dedicated connection for the life of the process (the server releases it if
 * the process dies). Every connection names its process ({@code ApplicationName}), so a refused run says who holds
 * the lock. On H2 the {@link PipelineLock} file, taken before the database opens, is the lock.
 */
@Component
class RunLock implements DisposableBean {

    private final DataSource dataSource;
    private Connection held;

    RunLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock or throws a {@link FatalException} naming the other process. */
    synchronized void acquire(String pipeline) {
        try {
            Connection c = dataSource.getConnection();
            if (!"PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
                c.close();
                return;
            }
            long key = ("msa-batch:" + pipeline).hashCode() & 0x7fffffffL;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        String holder = holder(c, key);
                        c.close();
                        throw new FatalException("pipeline '" + pipeline + "' is already running"
                                + (holder == null ? " in another process" : " (" + holder + ")")
                                + "; wait for it to finish or stop it first");
                    }
                }
            }
            held = c;
        } catch (SQLException e) {
            throw new FatalException("cannot reach the pipeline database: " + e.getMessage(), e);
        }
    }

    /** Who holds the advisory lock: the other session's application name and address. */
    private static String holder(Connection c, long key) {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.application_name, a.client_addr, a.backend_start "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                + "AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = ?")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1) + (rs.getString(2) == null ? "" : " from " + rs.getString(2))
                            + ", connected since " + rs.getObject(3);
                }
            }
        } catch (SQLException ignored) {
            // the message is less precise, that is all
        }
        return null;
    }

    @Override
    public synchronized void destroy() throws SQLException {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
