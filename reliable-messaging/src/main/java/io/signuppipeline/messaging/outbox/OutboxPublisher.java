package io.signuppipeline.messaging.outbox;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.outbox.PublishOutcome.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.tracing.Span;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends a batch of outbox rows and waits for the broker's publisher confirms.
 *
 * <p>All messages of a batch are sent before any confirm is awaited, so a batch costs one round
 * trip, not one per message. A message counts as published only on a positive confirm with no
 * return: the broker returns a {@code mandatory} message it could not route to any queue, and
 * then still confirms it.
 *
 * <p>When it packs events, each run of rows with the same routing key goes out as one message in
 * CloudEvents' batched mode ({@link BatchedEvents}), and the broker's answer to that message is the
 * answer for each of its rows. Runs keep the rows' order, so a consumer still sees the events of
 * one signup in the order they happened.
 */
class OutboxPublisher {

    private final RabbitTemplate rabbit;
    private final String appId;
    private final Duration confirmTimeout;
    private final TraceParents traces;
    private final boolean packEvents;

    /**
     * @param packEvents whether runs of rows with the same routing key go out as one message each,
     *        for consumers that read CloudEvents' batched mode
     */
    OutboxPublisher(RabbitTemplate rabbit, String appId, Duration confirmTimeout, TraceParents traces,
            boolean packEvents) {
        this.rabbit = rabbit;
        this.appId = appId;
        this.confirmTimeout = confirmTimeout;
        this.traces = traces;
        this.packEvents = packEvents;
    }

    List<PublishOutcome> publish(List<PendingMessage> batch) {
        long started = System.nanoTime();
        List<List<PendingMessage>> messages = packEvents ? runsOfOneRoutingKey(batch)
                : batch.stream().map(List::of).toList();
        List<CorrelationData> sent = new ArrayList<>(messages.size());
        AmqpException failure;
        try {
            failure = sendAll(messages, sent);
        } catch (AmqpException e) {
            failure = e; // no channel to send on
        }
        if (failure != null) {
            return notSent(batch, started, failure);
        }
        long deadline = started + confirmTimeout.toNanos();
        List<PublishOutcome> outcomes = new ArrayList<>(batch.size());
        for (int i = 0; i < sent.size(); i++) {
            PublishOutcome answer = await(messages.get(i).getFirst(), sent.get(i), started, deadline);
            for (PendingMessage row : messages.get(i)) {
                outcomes.add(answer.forRow(row, messages.get(i).size()));
            }
        }
        return outcomes;
    }

    /** The rows in their order, cut wherever the routing key changes. */
    private static List<List<PendingMessage>> runsOfOneRoutingKey(List<PendingMessage> batch) {
        List<List<PendingMessage>> runs = new ArrayList<>();
        for (PendingMessage row : batch) {
            if (runs.isEmpty() || !runs.getLast().getFirst().routingKey().equals(row.routingKey())) {
                runs.add(new ArrayList<>());
            }
            runs.getLast().add(row);
        }
        return runs;
    }

    /**
     * Sends the messages on one channel, rather than one taken from the cache and given back per
     * message; answers the failure that stopped it, if any.
     */
    private AmqpException sendAll(List<List<PendingMessage>> messages, List<CorrelationData> sent) {
        return rabbit.invoke(operations -> {
            for (List<PendingMessage> rows : messages) {
                CorrelationData correlation = new CorrelationData(rows.getFirst().id().toString());
                try {
                    operations.send(SignupTopology.EXCHANGE, rows.getFirst().routingKey(), toAmqp(rows), correlation);
                    sent.add(correlation);
                } catch (AmqpException e) {
                    // The channel or connection is gone: the rest of the batch would fail the same way.
                    return e;
                }
            }
            return null;
        });
    }

    /** One row as a message of its own, or several packed into one. */
    private Message toAmqp(List<PendingMessage> rows) {
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

    private PublishOutcome await(PendingMessage message, CorrelationData correlation, long started, long deadline) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            long elapsed = millisSince(started);
            ReturnedMessage returned = correlation.getReturned();
            if (!confirm.ack()) {
                return new PublishOutcome(message, Result.NACKED, "broker nack: " + confirm.reason(), elapsed);
            }
            if (returned != null) {
                return new PublishOutcome(message, Result.RETURNED, "returned as unroutable (" + returned.getReplyCode()
                        + " " + returned.getReplyText() + "): no queue is bound to " + returned.getExchange()
                        + " with routing key " + returned.getRoutingKey(), elapsed);
            }
            return new PublishOutcome(message, Result.CONFIRMED, null, elapsed);
        } catch (TimeoutException e) {
            return new PublishOutcome(message, Result.TIMED_OUT,
                    "no publisher confirm within " + confirmTimeout.toMillis() + " ms", millisSince(started));
        } catch (ExecutionException e) {
            return new PublishOutcome(message, Result.NACKED, "confirm failed: " + e.getCause(), millisSince(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PublishOutcome(message, Result.TIMED_OUT, "interrupted while awaiting the confirm",
                    millisSince(started));
        }
    }

    private static List<PublishOutcome> notSent(List<PendingMessage> batch, long started,
            AmqpException cause) {
        // Messages already written to the dead channel get no confirm either; none of them counts.
        String reason = "not sent: " + rootMessage(cause);
        long elapsed = millisSince(started);
        List<PublishOutcome> outcomes = new ArrayList<>(batch.size());
        for (PendingMessage message : batch) {
            outcomes.add(new PublishOutcome(message, Result.NOT_SENT, reason, elapsed));
        }
        return outcomes;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
