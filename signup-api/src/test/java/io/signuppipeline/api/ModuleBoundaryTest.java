package io.signuppipeline.api;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.consumer.Parking;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import io.signuppipeline.messaging.database.ConnectionPoolBusy;
import io.signuppipeline.messaging.logging.MaskedEmail;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;

/**
 * signup-api uses reliable-messaging through the components it offers a service that consumes and
 * publishes, never through its internals, and nothing of the worker runtime: a build that reaches
 * in fails here.
 */
class ModuleBoundaryTest {

    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.signuppipeline.api");

    @Test
    void theApiUsesOnlyReliableMessagingsPublicComponents() {
        classes().that().resideInAPackage("io.signuppipeline.api..")
                .should().onlyDependOnClassesThat(not(resideInAPackage("io.signuppipeline.messaging.."))
                        .or(belongToAnyOf(Outbox.class, ConsumerQueue.class, ConsumerProperties.class,
                                ListenerObservations.class, Parking.class, MaskedEmail.class, BatchedEvents.class, OutboxEntry.class,
                                BatchedEvents.UnreadableBatch.class, ConnectionPoolBusy.class)))
                .check(API);
    }

    @Test
    void theApiUsesNothingOfTheWorkerRuntime() {
        noClasses().that().resideInAPackage("io.signuppipeline.api..")
                .should().dependOnClassesThat().resideInAPackage("io.signuppipeline.messaging.worker..")
                .check(API);
    }
}
