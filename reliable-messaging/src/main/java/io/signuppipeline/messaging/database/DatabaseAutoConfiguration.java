package io.signuppipeline.messaging.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionManager;

/**
 * Takes the place of Boot's JDBC transaction manager with the {@link OutageAwareTransactionManager};
 * Boot's {@code spring.transaction.*} settings still apply to it.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = DataSourceTransactionManagerAutoConfiguration.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TransactionManager.class)
    JdbcTransactionManager transactionManager(DataSource dataSource, DatabaseProperties properties,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<TransactionManagerCustomizers> customizers) {
        Counter busyPoolRetries = Counter.builder("messaging.database.pool.busy.retries")
                .description("Times a transaction asked the connection pool again because every connection was in use")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
        JdbcTransactionManager transactions = new OutageAwareTransactionManager(dataSource,
                properties.busyPoolWait(), busyPoolRetries);
        customizers.ifAvailable(all -> all.customize(transactions));
        return transactions;
    }
}
