package io.signuppipeline.messaging.outbox;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.IdGenerator;

/**
 * Records events in the same database transaction as the change they describe; the relay publishes
 * them once that transaction has committed.
 *
 * <p>This is what makes "the row exists" and "the event will be delivered" one fact: there is no
 * moment at which one is true and the other can still be lost.
 */
public class Outbox {

    /** Every row of a batch in one statement: one array per column, unnested into rows. */
    private static final String INSERT = """
            INSERT INTO outbox (id, signup_id, event_type, routing_key, payload, occurred_at, traceparent)
            SELECT id, signup_id, event_type, routing_key, payload, occurred_at::timestamptz, traceparent
            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS e (id, signup_id, event_type, routing_key, payload, occurred_at, traceparent)
            """;

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
     * A new event from this service, with a fresh id and the current time, in the current trace;
     * nothing is written until it is {@linkplain #append(List) appended}.
     *
     * @param type the event type
     * @param data the payload record
     * @param signupId the signup the event belongs to
     * @param routingKey the routing key on the signup exchange
     */
    public <T> OutboxEntry entry(String type, T data, UUID signupId, String routingKey) {
        CloudEvent<T> event = CloudEvent.of(ids.generateId(), source, type,
                Instant.now().truncatedTo(ChronoUnit.MICROS), data);
        return entry(event, signupId, routingKey);
    }

    /** An envelope made by the caller, in the current trace. */
    public OutboxEntry entry(CloudEvent<?> event, UUID signupId, String routingKey) {
        return new OutboxEntry(event, signupId, routingKey, traces.current());
    }

    /** Adds a new event from this service to the outbox; must run inside the caller's transaction. */
    public <T> void append(String type, T data, UUID signupId, String routingKey) {
        append(List.of(entry(type, data, signupId, routingKey)));
    }

    /** Adds the event to the outbox; must run inside the caller's transaction. */
    public void append(CloudEvent<?> event, UUID signupId, String routingKey) {
        append(List.of(entry(event, signupId, routingKey)));
    }

    /** Adds the events to the outbox in one statement; must run inside the caller's transaction. */
    public void append(List<OutboxEntry> entries) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException("The outbox is written in the transaction of the change "
                    + "its events describe, and none is active");
        }
        if (entries.isEmpty()) {
            return;
        }
        int size = entries.size();
        UUID[] id = new UUID[size];
        UUID[] signupId = new UUID[size];
        String[] type = new String[size];
        String[] routingKey = new String[size];
        String[] payload = new String[size];
        String[] occurredAt = new String[size];
        String[] traceparent = new String[size];
        for (int i = 0; i < size; i++) {
            OutboxEntry entry = entries.get(i);
            id[i] = entry.event().id();
            signupId[i] = entry.signupId();
            type[i] = entry.event().type();
            routingKey[i] = entry.routingKey();
            payload[i] = new String(EventJson.write(entry.event()), StandardCharsets.UTF_8);
            occurredAt[i] = entry.event().time().toString();
            traceparent[i] = entry.traceparent();
        }
        jdbc.sql(INSERT).params(id, signupId, type, routingKey, payload, occurredAt, traceparent).update();
        events.publishEvent(new OutboxAppended(List.of(id)));
    }
}
