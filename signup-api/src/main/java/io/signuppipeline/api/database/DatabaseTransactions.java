package io.signuppipeline.api.database;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Replaces Boot's transaction manager with one that reports a lost database as such; Boot's
 * {@code spring.transaction.*} settings still apply to it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTransactions {

    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource,
            ObjectProvider<TransactionManagerCustomizers> customizers) {
        JdbcTransactionManager transactions = new LostConnectionTransactionManager(dataSource);
        customizers.ifAvailable(all -> all.customize(transactions));
        return transactions;
    }
}
