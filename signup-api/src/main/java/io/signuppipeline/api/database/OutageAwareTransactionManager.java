package io.signuppipeline.api.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Boot's JDBC transaction manager, except that it does not roll back on a connection that is already
 * lost.
 *
 * <p>When the database goes away in the middle of a transaction, the statement fails with a
 * connection error and Hikari closes the connection. Rolling back on it then fails too, and Spring
 * reports that second failure instead of the first: a {@code TransactionSystemException} (answered
 * as a 500) in place of the {@code DataAccessResourceFailureException} that says the database is
 * unavailable (a 503), logged at ERROR with a stack trace on every request. There is nothing to roll
 * back anyway: PostgreSQL aborts the open transaction of a connection that is gone.
 */
class LostConnectionTransactionManager extends JdbcTransactionManager {

    LostConnectionTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        if (!lost(((JdbcTransactionObjectSupport) status.getTransaction()).getConnectionHolder().getConnection())) {
            super.doRollback(status);
        }
    }

    private static boolean lost(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
