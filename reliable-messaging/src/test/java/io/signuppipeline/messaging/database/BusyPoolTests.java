package io.signuppipeline.messaging.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.TestServices;
import java.net.ConnectException;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A pool of one connection to the real PostgreSQL, with a short Hikari connection timeout: the
 * transaction manager must wait past it while the one connection is merely in use, and give up at
 * once when the database refuses connections.
 */
class BusyPoolTests {

    private static final int CONNECTION_TIMEOUT_MILLIS = 250;

    private final Counter retries = Counter.builder("retries").register(new SimpleMeterRegistry());
    private HikariDataSource pool;
    private TcpProxy proxy;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aTransactionWaitsPastTheConnectionTimeoutUntilTheBusyConnectionIsFree() throws Exception {
        pool = pool(TestServices.get().postgres().jdbcUrl());
        TransactionTemplate transactions = transactions(Duration.ofSeconds(30));
        try (Connection held = pool.getConnection()) {
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> selectOne(transactions),
                    command -> Thread.ofVirtual().start(command));
            await().atMost(Duration.ofSeconds(10)).until(() -> retries.count() >= 2);
            assertThat(waiting).as("still waiting for the connection the test holds").isNotDone();
        }
        // the held connection went back to the pool when the try block closed it
        Integer answer = CompletableFuture.supplyAsync(() -> selectOne(transactions)).get(10, TimeUnit.SECONDS);
        assertThat(answer).isEqualTo(1);
    }

    @Test
    void aTransactionGivesUpOnABusyPoolOnceItsWaitIsOver() throws Exception {
        pool = pool(TestServices.get().postgres().jdbcUrl());
        Duration wait = Duration.ofSeconds(1);
        TransactionTemplate transactions = transactions(wait);
        try (Connection held = pool.getConnection()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> selectOne(transactions)).isInstanceOf(ConnectionPoolBusy.class)
                    .satisfies(busy -> assertThat(((ConnectionPoolBusy) busy).waited()).isGreaterThanOrEqualTo(wait));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(wait)
                    .isLessThan(wait.plusMillis(CONNECTION_TIMEOUT_MILLIS).plusSeconds(1));
            assertThat(retries.count()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aDatabaseThatRefusesConnectionsFailsTheTransactionAfterOneConnectionTimeout() {
        TestServices.Postgres postgres = TestServices.get().postgres();
        proxy = postgres.proxy();
        proxy.cut();
        pool = pool(postgres.jdbcUrlThrough(proxy));
        TransactionTemplate transactions = transactions(Duration.ofSeconds(30));

        long started = System.nanoTime();
        assertThatThrownBy(() -> selectOne(transactions)).isInstanceOf(CannotCreateTransactionException.class)
                .isNotInstanceOf(ConnectionPoolBusy.class).hasRootCauseInstanceOf(ConnectException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(retries.count()).isZero();
    }

    private TransactionTemplate transactions(Duration busyPoolWait) {
        return new TransactionTemplate(new OutageAwareTransactionManager(pool, new ConnectionOutages(busyPoolWait, retries)));
    }

    private Integer selectOne(TransactionTemplate transactions) {
        return transactions.execute(status -> JdbcClient.create(pool).sql("select 1").query(Integer.class).single());
    }

    private static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(TestServices.get().postgres().username());
        config.setPassword(TestServices.get().postgres().password());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(CONNECTION_TIMEOUT_MILLIS);
        // start even when the database refuses connections, as the API does
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
