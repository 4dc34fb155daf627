package io.signuppipeline.messaging.outbox;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.IdGenerator;

/**
 * Records an event in the same database transaction as the change it describes; the relay publishes
 * it once that transaction has committed.
 *
 * <p>This is what makes "the row exists" and "the event will be delivered" one fact: there is no
 * moment at which one is true and the other can still be lost.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final IdGenerator ids;
    private final String source;
    private final TraceParents traces;

    Outbox(JdbcClient jdbc, ApplicationEventPublisher events, IdGenerator ids, String source, TraceParents traces) {
        this.jdbc = jdbc;
        this.events = events;
        this.ids = ids;
        this.source = source;
        this.traces = traces;
    }

    /**
     * Wraps a payload in a new envelope from this service, with a fresh id and the current time, and
     * adds it to the outbox; must run inside the caller's transaction.
     *
     * @param type the event type
     * @param data the payload record
     * @param signupId the signup the event belongs to
     * @param routingKey the routing key on the signup exchange
     * @return the envelope as it will be published
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T> CloudEvent<T> append(String type, T data, UUID signupId, String routingKey) {
        CloudEvent<T> event = CloudEvent.of(ids.generateId(), source, type,
                Instant.now().truncatedTo(ChronoUnit.MICROS), data);
        append(event, signupId, routingKey);
        return event;
    }

    /**
     * Adds the event to the outbox; must run inside the caller's transaction.
     *
     * @param event the envelope to publish
     * @param signupId the signup the event belongs to, for logs and queries
     * @param routingKey the routing key on the signup exchange
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(CloudEvent<?> event, UUID signupId, String routingKey) {
        jdbc.sql("""
                INSERT INTO outbox (id, signup_id, event_type, routing_key, payload, occurred_at, traceparent)
                VALUES (:id, :signupId, :type, :routingKey, :payload, :occurredAt, :traceparent)
                """)
                .param("id", event.id())
                .param("signupId", signupId)
                .param("type", event.type())
                .param("routingKey", routingKey)
                .param("payload", new String(EventJson.write(event), StandardCharsets.UTF_8))
                .param("occurredAt", Timestamp.from(event.time()))
                .param("traceparent", traces.current())
                .update();
        events.publishEvent(new OutboxAppended(event.id()));
    }
}
