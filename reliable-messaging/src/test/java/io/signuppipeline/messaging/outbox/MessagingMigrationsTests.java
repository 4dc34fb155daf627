package io.signuppipeline.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.testing.TestServices;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database a service has already migrated takes a new reliable-messaging migration: the messaging
 * series (V0_n) sorts below the service's own (V1 on), so its newest one is older than what the
 * database has applied. Any other database is migrated in order, with no warning in the log.
 */
class MessagingMigrationsTests {

    private final TestServices.Postgres postgres = TestServices.get().postgres();
    private final DriverManagerDataSource database = new DriverManagerDataSource(postgres.jdbcUrl(),
            postgres.username(), postgres.password());
    private final String schema = "upgrade_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void dropSchema() {
        JdbcClient.create(database).sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
    }

    @Test
    void aNewMessagingMigrationIsAppliedToADatabaseMigratedPastItBefore() {
        // The earlier release: the messaging series up to 0.3, then the service's V1.
        flyway().locations("classpath:db/messaging").target("0.3").load().migrate();
        flyway().locations("classpath:db/upgrade-test").ignoreMigrationPatterns("*:missing").load().migrate();

        MigrateResult upgrade = MessagingMigrations.apply(asEveryServiceConfiguresIt());

        assertThat(applied()).containsExactly("0.1", "0.2", "0.3", "1", "0.4", "0.5");
        assertThat(upgrade.warnings).as("Flyway's warning, true this once").singleElement().asString()
                .contains("outOfOrder mode is active");
    }

    @Test
    void aNewDatabaseAndAnUpToDateOneAreMigratedInOrderWithoutAWarning() {
        MigrateResult fresh = MessagingMigrations.apply(asEveryServiceConfiguresIt());
        MigrateResult again = MessagingMigrations.apply(asEveryServiceConfiguresIt());

        assertThat(applied()).containsExactly("0.1", "0.2", "0.3", "0.4", "0.5", "1");
        assertThat(fresh.warnings).isEmpty();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(again.warnings).isEmpty();
    }

    /** This release, configured as every service is: its own migrations and the messaging series. */
    private Flyway asEveryServiceConfiguresIt() {
        FluentConfiguration configuration = flyway().locations("classpath:db/upgrade-test");
        new OutboxAutoConfiguration().outboxMigrations().customize(configuration);
        return configuration.load();
    }

    private List<String> applied() {
        return JdbcClient.create(database)
                .sql("SELECT version FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL"
                        + " ORDER BY installed_rank")
                .query(String.class).list();
    }

    private FluentConfiguration flyway() {
        return Flyway.configure().dataSource(database).schemas(schema).defaultSchema(schema);
    }
}
