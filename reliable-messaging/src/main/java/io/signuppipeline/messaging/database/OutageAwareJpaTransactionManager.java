package io.signuppipeline.messaging.database;

import jakarta.persistence.EntityManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Boot's JPA transaction manager, outage-aware as {@link OutageAwareTransactionManager} is: it
 * waits out a busy pool, and a rollback that fails because the database went away does not hide the
 * failure that says so.
 *
 * <p>Unlike the JDBC manager it still calls the rollback, so that Hibernate ends the transaction its
 * session holds; on a lost connection the rollback fails, and that second failure is dropped.
 *
 * <p>Given the data source, it binds each transaction's JDBC connection for {@code JdbcClient} too,
 * so the outbox row and the entity are written in one transaction.
 */
class OutageAwareJpaTransactionManager extends JpaTransactionManager {

    private static final Logger log = LoggerFactory.getLogger(OutageAwareJpaTransactionManager.class);

    private final ConnectionOutages outages;

    OutageAwareJpaTransactionManager(EntityManagerFactory entityManagers, ConnectionOutages outages) {
        super(entityManagers);
        this.outages = outages;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        outages.begin(() -> super.doBegin(transaction, definition));
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (RuntimeException e) {
            // Hibernate's failure comes translated: a JpaSystemException, or a TransactionSystemException
            JdbcTransactionObjectSupport transaction = (JdbcTransactionObjectSupport) status.getTransaction();
            if (!transaction.hasConnectionHolder()
                    || !ConnectionOutages.lost(transaction.getConnectionHolder().getConnection())) {
                throw e;
            }
            log.debug("No rollback on a connection the database dropped: {}", e.toString());
        }
    }
}
