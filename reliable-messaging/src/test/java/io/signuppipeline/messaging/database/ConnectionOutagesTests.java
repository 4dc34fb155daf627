package io.signuppipeline.messaging.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How a transaction's begin tells a busy pool from a database that is gone, whichever way the
 * failure is wrapped: JDBC's manager has Hikari's timeout as the direct cause, JPA's one level down.
 */
class ConnectionOutagesTests {

    private final Counter retries = Counter.builder("retries").register(new SimpleMeterRegistry());
    private final ConnectionOutages outages = new ConnectionOutages(Duration.ofSeconds(30), retries);

    @Test
    void aBusyPoolBehindHibernatesWrapperIsAskedAgainUntilAConnectionComes() {
        AtomicInteger attempts = new AtomicInteger();
        outages.begin(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                        new RuntimeException("Unable to acquire JDBC Connection", busyPool()));
            }
        });
        assertThat(attempts).hasValue(3);
        assertThat(retries.count()).isEqualTo(2);
    }

    @Test
    void aDatabaseThatRefusesConnectionsFailsTheBeginAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        SQLTransientConnectionException refused = new SQLTransientConnectionException("Connection is not available",
                "08001", new ConnectException("Connection refused"));
        assertThatThrownBy(() -> outages.begin(() -> {
            attempts.incrementAndGet();
            throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                    new RuntimeException("Unable to acquire JDBC Connection", refused));
        })).isInstanceOf(CannotCreateTransactionException.class);
        assertThat(attempts).hasValue(1);
        assertThat(retries.count()).isZero();
    }

    @Test
    void aBusyPoolIsGivenUpOnOnceTheWaitIsOver() {
        ConnectionOutages impatient = new ConnectionOutages(Duration.ZERO, retries);
        assertThatThrownBy(() -> impatient.begin(() -> {
            throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction", busyPool());
        })).isInstanceOf(CannotCreateTransactionException.class);
        assertThat(retries.count()).isZero();
    }

    /** Hikari's timeout while the database accepts connections: no cause. */
    private static SQLTransientConnectionException busyPool() {
        return new SQLTransientConnectionException("Connection is not available, request timed out after 250ms");
    }
}
