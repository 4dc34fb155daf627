package io.signuppipeline.messaging.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionManager;

/**
 * Takes the place of Boot's transaction manager with an outage-aware one: the JDBC
 * {@link OutageAwareTransactionManager}, or the {@link OutageAwareJpaTransactionManager} in a
 * service that uses JPA (signup-api). Boot's {@code spring.transaction.*} settings still apply.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = DataSourceTransactionManagerAutoConfiguration.class,
        beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseAutoConfiguration {

    private static final String HIBERNATE = "org.hibernate.engine.spi.SessionImplementor";

    @Bean
    ConnectionOutages connectionOutages(DatabaseProperties properties, ObjectProvider<MeterRegistry> meters) {
        Counter busyPoolRetries = Counter.builder("messaging.database.pool.busy.retries")
                .description("Times a transaction asked the connection pool again because every connection was in use")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
        return new ConnectionOutages(properties.busyPoolWait(), busyPoolRetries);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(HIBERNATE)
    static class Jdbc {

        @Bean
        @ConditionalOnMissingBean(TransactionManager.class)
        JdbcTransactionManager transactionManager(DataSource dataSource, ConnectionOutages outages,
                ObjectProvider<TransactionManagerCustomizers> customizers) {
            JdbcTransactionManager transactions = new OutageAwareTransactionManager(dataSource, outages);
            customizers.ifAvailable(all -> all.customize(transactions));
            return transactions;
        }
    }

    /** Where Boot's Hibernate auto-configuration applies, so that an entity manager factory exists. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.orm.jpa.JpaTransactionManager", HIBERNATE})
    static class Jpa {

        @Bean
        @ConditionalOnMissingBean(TransactionManager.class)
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagers, DataSource dataSource,
                ConnectionOutages outages, ObjectProvider<TransactionManagerCustomizers> customizers) {
            JpaTransactionManager transactions = new OutageAwareJpaTransactionManager(entityManagers, outages);
            transactions.setDataSource(dataSource);
            customizers.ifAvailable(all -> all.customize(transactions));
            return transactions;
        }
    }
}
