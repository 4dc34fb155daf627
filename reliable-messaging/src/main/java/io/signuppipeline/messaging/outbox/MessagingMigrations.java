package io.signuppipeline.messaging.outbox;

import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Migrates a service's schema, out of order only when the database needs it. The outbox's, inbox's
 * and claims' migrations are numbered V0_n, below every service's own (V1 on), so a new one is older
 * than what a database migrated by an earlier release has applied already; Flyway calls it ignored,
 * and applies it only in out-of-order mode. That mode makes Flyway warn at every migration that the
 * schema "may not be reproducible", so it is switched on for the one start that applies such a
 * migration, and the warning then says something true. The two series touch different tables: their
 * order between each other does not matter.
 */
class MessagingMigrations implements FlywayMigrationStrategy {

    @Override
    public void migrate(Flyway flyway) {
        apply(flyway);
    }

    static MigrateResult apply(Flyway flyway) {
        boolean olderPending = Arrays.stream(flyway.info().all())
                .anyMatch(migration -> migration.getState() == MigrationState.IGNORED);
        if (!olderPending) {
            return flyway.migrate();
        }
        return Flyway.configure().configuration(flyway.getConfiguration()).outOfOrder(true).load().migrate();
    }
}
