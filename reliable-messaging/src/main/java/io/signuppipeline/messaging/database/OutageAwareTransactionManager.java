package io.signuppipeline.messaging.database;

import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Boot's JDBC transaction manager, taught to tell a database that is gone from one that is busy.
 *
 * <p><b>Busy.</b> Hikari gives up on a connection after its connection timeout, kept short so that
 * a caller learns within seconds that the database is down: the API answers 503, a worker retries
 * the message later. But Hikari gives up in the same way when the database is up and every pooled
 * connection is simply in use, as when commits queue behind a slow disk during a burst. Its timeout
 * tells the two apart: it names the last failure to open a connection as its cause, and has none
 * while the database keeps accepting connections. Only then does this manager ask the pool again,
 * until {@code busyPoolWait} has passed since the first try: a signup that waits a little longer for
 * a busy database is better than a 503 for a database that is there.
 *
 * <p><b>Gone.</b> When the database goes away in the middle of a transaction, the statement fails
 * with a connection error and Hikari closes the connection. Rolling back on it then fails too, and
 * Spring reports that second failure instead of the first: a {@code TransactionSystemException} in
 * place of the {@code DataAccessResourceFailureException} that says the database is unavailable,
 * logged at ERROR with a stack trace every time. This manager does not roll back on a lost
 * connection; there is nothing to roll back anyway: PostgreSQL aborts the open transaction of a
 * connection that is gone.
 */
class OutageAwareTransactionManager extends JdbcTransactionManager {

    private final ConnectionOutages outages;

    OutageAwareTransactionManager(DataSource dataSource, ConnectionOutages outages) {
        super(dataSource);
        this.outages = outages;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        outages.begin(() -> super.doBegin(transaction, definition));
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        Connection connection = ((JdbcTransactionObjectSupport) status.getTransaction()).getConnectionHolder()
                .getConnection();
        if (!ConnectionOutages.lost(connection)) {
            super.doRollback(status);
        }
    }
}
