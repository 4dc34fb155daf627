package io.signuppipeline.api.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Replaces Boot's transaction manager with one that waits out a busy pool and reports a lost
 * database as such; Boot's {@code spring.transaction.*} settings still apply to it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTransactions {

    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource, DatabaseProperties properties,
            MeterRegistry meters, ObjectProvider<TransactionManagerCustomizers> customizers) {
        Counter busyPoolRetries = Counter.builder("signup.database.pool.busy.retries")
                .description("Times a transaction asked the connection pool again because every connection was in use")
                .register(meters);
        JdbcTransactionManager transactions = new OutageAwareTransactionManager(dataSource,
                properties.busyPoolWait(), busyPoolRetries);
        customizers.ifAvailable(all -> all.customize(transactions));
        return transactions;
    }
}
