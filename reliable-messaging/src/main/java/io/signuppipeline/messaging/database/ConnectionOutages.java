package io.signuppipeline.messaging.database;

import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What both outage-aware transaction managers (JDBC and JPA) know about a database that is busy or
 * gone; see {@link OutageAwareTransactionManager} for the reasons.
 */
final class ConnectionOutages {

    private static final Logger log = LoggerFactory.getLogger(ConnectionOutages.class);

    private final Duration busyPoolWait;
    private final Counter busyPoolRetries;

    ConnectionOutages(Duration busyPoolWait, Counter busyPoolRetries) {
        this.busyPoolWait = busyPoolWait;
        this.busyPoolRetries = busyPoolRetries;
    }

    Duration busyPoolWait() {
        return busyPoolWait;
    }

    /**
     * Begins the transaction, asking the pool again while it is busy and the database answers.
     *
     * @throws ConnectionPoolBusy if the pool is still busy after the busy-pool wait
     */
    void begin(Runnable begin) {
        long started = System.nanoTime();
        while (true) {
            try {
                begin.run();
                return;
            } catch (CannotCreateTransactionException e) {
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (!poolBusy(e)) {
                    throw e;
                }
                if (waited.compareTo(busyPoolWait) >= 0) {
                    throw new ConnectionPoolBusy(waited, e);
                }
                busyPoolRetries.increment();
                log.debug("Every database connection is in use after {} ms; asking the pool again", waited.toMillis());
            }
        }
    }

    /**
     * Hikari timed out while the database accepted every connection it tried to open: its timeout
     * names no cause. JDBC has it as the direct cause, Hibernate wraps it once more.
     */
    private static boolean poolBusy(CannotCreateTransactionException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException timeout) {
                return timeout.getCause() == null;
            }
        }
        return false;
    }

    /** Hikari closes a connection that failed with a connection error: the database is gone. */
    static boolean lost(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
