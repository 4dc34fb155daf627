package io.signuppipeline.messaging.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.signuppipeline.messaging.ids.TimeOrderedIds;
import java.util.Arrays;
import java.util.stream.Stream;
import org.flywaydb.core.api.Location;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.IdGenerator;

/**
 * Gives a service the outbox and, unless switched off, the relay that publishes it.
 */
@AutoConfiguration(after = {RabbitAutoConfiguration.class, JdbcClientAutoConfiguration.class,
        TransactionAutoConfiguration.class})
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

    /** Events this service creates carry its name as their source, e.g. {@code /fraud-worker}. */
    @Bean
    Outbox outbox(JdbcClient jdbc, ApplicationEventPublisher events, IdGenerator ids, Environment environment,
            TraceParents outboxTraceParents) {
        return new Outbox(jdbc, events, ids, "/" + environment.getRequiredProperty("spring.application.name"),
                outboxTraceParents);
    }

    /** The trace an event was appended in, carried to its publish; nothing when the service does not trace. */
    @Bean
    TraceParents outboxTraceParents(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        Tracer available = tracer.getIfAvailable();
        Propagator propagation = propagator.getIfAvailable();
        return available == null || propagation == null ? TraceParents.none() : new TraceParents(available, propagation);
    }

    /** Static: it must see the connection factory before the factory's first connection. */
    @Bean
    static BrokerCallbackThreads brokerCallbackThreads() {
        return BrokerCallbackThreads.twoPerCore();
    }

    /** Time-ordered UUIDv7 ids for events and rows, unless the service brings its own. */
    @Bean
    @ConditionalOnMissingBean
    IdGenerator timeOrderedIds() {
        return new TimeOrderedIds();
    }

    @Bean
    OutboxRepository outboxRepository(JdbcClient jdbc) {
        return new OutboxRepository(jdbc);
    }

    /** The outbox's, inbox's and claims' migrations live here, beside the code that uses them. */
    @Bean
    FlywayConfigurationCustomizer outboxMigrations() {
        return configuration -> configuration.locations(Stream.concat(
                Arrays.stream(configuration.getLocations()),
                Stream.of(new Location("classpath:db/messaging"))).toArray(Location[]::new));
    }

    /** Their numbers sort below the service's own: {@link MessagingMigrations} applies a new one. */
    @Bean
    @ConditionalOnMissingBean
    FlywayMigrationStrategy messagingMigrations() {
        return new MessagingMigrations();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "messaging.outbox.relay-enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(OutboxRepository repository, CachingConnectionFactory connectionFactory,
            MeterRegistry meters, TransactionTemplate transactions, OutboxProperties properties,
            Environment environment, TraceParents outboxTraceParents) {
        requireConfirmsAndReturns(connectionFactory);
        RabbitTemplate rabbit = new MandatoryRabbitTemplate(connectionFactory);
        String appId = environment.getRequiredProperty("spring.application.name");
        OutboxPublisher publisher = new OutboxPublisher(rabbit, appId, properties.confirmTimeout(), outboxTraceParents,
                properties.packEvents());
        OutboxRelay relay = new OutboxRelay(repository, publisher, new OutboxMetrics(meters, repository),
                transactions, properties);
        connectionFactory.addConnectionListener(relay);
        return relay;
    }

    private static void requireConfirmsAndReturns(CachingConnectionFactory connectionFactory) {
        if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
            throw new IllegalStateException("The outbox relay marks an event published only on a publisher confirm "
                    + "with no return: set spring.rabbitmq.publisher-confirm-type=correlated and "
                    + "spring.rabbitmq.publisher-returns=true");
        }
    }
}
