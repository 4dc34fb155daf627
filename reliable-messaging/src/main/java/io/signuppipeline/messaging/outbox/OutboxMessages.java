package io.signuppipeline.messaging.outbox;

import io.micrometer.tracing.Span;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Turns outbox rows into the AMQP messages the relay sends: persistent, with the event's id, type
 * and time, and the {@code traceparent} of a publish span made for each row.
 *
 * <p>When it packs events, each run of rows with the same routing key becomes one message in
 * CloudEvents' batched mode ({@link BatchedEvents}). Runs keep the rows' order, so a consumer still
 * sees the events of one signup in the order they happened.
 */
class OutboxMessages {

    private final String appId;
    private final TraceParents traces;
    private final boolean packEvents;

    /**
     * @param packEvents whether runs of rows with the same routing key go out as one message each,
     *        for consumers that read CloudEvents' batched mode
     */
    OutboxMessages(String appId, TraceParents traces, boolean packEvents) {
        this.appId = appId;
        this.traces = traces;
        this.packEvents = packEvents;
    }

    /** The rows of each message to send, in the batch's order: one row each, or runs of one routing key. */
    List<List<PendingMessage>> group(List<PendingMessage> batch) {
        if (!packEvents) {
            return batch.stream().map(List::of).toList();
        }
        List<List<PendingMessage>> runs = new ArrayList<>();
        for (PendingMessage row : batch) {
            if (runs.isEmpty() || !runs.getLast().getFirst().routingKey().equals(row.routingKey())) {
                runs.add(new ArrayList<>());
            }
            runs.getLast().add(row);
        }
        return runs;
    }

    /** One row as a message of its own, or several packed into one. */
    Message toAmqp(List<PendingMessage> rows) {
        if (rows.size() == 1) {
            return toAmqp(rows.getFirst(), publishTrace(rows.getFirst()));
        }
        List<BatchedEvents.Packed> events = new ArrayList<>(rows.size());
        for (PendingMessage row : rows) {
            events.add(new BatchedEvents.Packed(row.payload(), publishTrace(row)));
        }
        PendingMessage first = rows.getFirst();
        String type = rows.stream().allMatch(row -> row.type().equals(first.type())) ? first.type() : null;
        return properties(MessageBuilder.withBody(BatchedEvents.pack(events)), first.id(), type, first.occurredAt())
                .setContentType(CloudEvent.BATCH_CONTENT_TYPE)
                .build();
    }

    /**
     * The row's publish span, a child of the trace it was appended in, as the {@code traceparent}
     * its consumer continues; null when the row has no trace.
     */
    private String publishTrace(PendingMessage row) {
        Span span = traces.startPublish(row);
        if (span == null) {
            return null;
        }
        try {
            return traces.header(span);
        } finally {
            span.end();
        }
    }

    private Message toAmqp(PendingMessage message, String traceparent) {
        MessageBuilder amqp = MessageBuilder.withBody(message.payload().getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            amqp.setHeader(TraceParents.HEADER, traceparent);
        }
        return properties(amqp, message.id(), message.type(), message.occurredAt())
                .setContentType(CloudEvent.CONTENT_TYPE)
                .build();
    }

    /**
     * What every message carries: a packed one takes the first event's id and time, and the events'
     * type when they share one.
     */
    private MessageBuilderSupport<Message> properties(MessageBuilder amqp, UUID id, String type, Instant time) {
        return amqp.setMessageId(id.toString())
                .setType(type)
                .setContentEncoding(StandardCharsets.UTF_8.name())
                .setTimestamp(Date.from(time))
                .setAppId(appId)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    }
}
