package io.signuppipeline.messaging.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.PlatformTransactionManager;

/** Every service with a data source gets the outage-aware manager in place of Boot's. */
class DatabaseAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, DatabaseAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                    "spring.datasource.hikari.initialization-fail-timeout=-1");

    @Test
    void theTransactionManagerIsTheOutageAwareOneWithItsConfiguredWait() {
        runner.withPropertyValues("messaging.database.busy-pool-wait=3s").run(context -> {
            assertThat(context).getBean(PlatformTransactionManager.class).isInstanceOf(OutageAwareTransactionManager.class);
            assertThat(context.getBean(ConnectionOutages.class).busyPoolWait()).isEqualTo(Duration.ofSeconds(3));
        });
    }
}
