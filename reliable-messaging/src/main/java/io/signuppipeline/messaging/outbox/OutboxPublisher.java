package io.signuppipeline.messaging.outbox;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.outbox.PublishOutcome.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
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
 * <p>When it packs events ({@link OutboxMessages}), a run of rows with the same routing key goes out
 * as one message, and the broker's answer to that message is the answer for each of its rows.
 */
class OutboxPublisher {

    private final RabbitTemplate rabbit;
    private final OutboxMessages messages;
    private final Duration confirmTimeout;

    /**
     * @param packEvents whether runs of rows with the same routing key go out as one message each,
     *        for consumers that read CloudEvents' batched mode
     */
    OutboxPublisher(RabbitTemplate rabbit, String appId, Duration confirmTimeout, TraceParents traces,
            boolean packEvents) {
        this.rabbit = rabbit;
        this.messages = new OutboxMessages(appId, traces, packEvents);
        this.confirmTimeout = confirmTimeout;
    }

    List<PublishOutcome> publish(List<PendingMessage> batch) {
        long started = System.nanoTime();
        List<List<PendingMessage>> grouped = messages.group(batch);
        List<CorrelationData> sent = new ArrayList<>(grouped.size());
        AmqpException failure;
        try {
            failure = sendAll(grouped, sent);
        } catch (AmqpException e) {
            failure = e; // no channel to send on
        }
        if (failure != null) {
            return notSent(batch, started, failure);
        }
        long deadline = started + confirmTimeout.toNanos();
        List<PublishOutcome> outcomes = new ArrayList<>(batch.size());
        for (int i = 0; i < sent.size(); i++) {
            PublishOutcome answer = await(grouped.get(i).getFirst(), sent.get(i), started, deadline);
            for (PendingMessage row : grouped.get(i)) {
                outcomes.add(answer.forRow(row, grouped.get(i).size()));
            }
        }
        return outcomes;
    }

    /**
     * Sends the messages on one channel, rather than one taken from the cache and given back per
     * message; answers the failure that stopped it, if any.
     */
    private AmqpException sendAll(List<List<PendingMessage>> grouped, List<CorrelationData> sent) {
        return rabbit.invoke(operations -> {
            for (List<PendingMessage> rows : grouped) {
                CorrelationData correlation = new CorrelationData(rows.getFirst().id().toString());
                try {
                    operations.send(SignupTopology.EXCHANGE, rows.getFirst().routingKey(), messages.toAmqp(rows),
                            correlation);
                    sent.add(correlation);
                } catch (AmqpException e) {
                    // The channel or connection is gone: the rest of the batch would fail the same way.
                    return e;
                }
            }
            return null;
        });
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
