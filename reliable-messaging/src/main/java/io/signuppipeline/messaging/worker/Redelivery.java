package io.signuppipeline.messaging.worker;

import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageProperties;

/**
 * Sends a copy of a delivered message where it goes next: a retry tier, or the dead-letter queue.
 * Each send waits for the broker's confirm, because only then may the caller acknowledge the
 * original; a crash in between leaves two copies, never none.
 */
class Redelivery {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final MandatoryRabbitTemplate rabbit;
    private final ConsumerQueue queue;
    private final List<Duration> retryDelays;

    Redelivery(MandatoryRabbitTemplate rabbit, ConsumerQueue queue, List<Duration> retryDelays) {
        this.rabbit = rabbit;
        this.queue = queue;
        this.retryDelays = retryDelays;
    }

    /** The number of tries a message gets: the first, then one per retry tier. */
    int maxAttempts() {
        return retryDelays.size() + 1;
    }

    /** How long the message waits after its {@code attempts}-th failure. */
    Duration delayAfter(int attempts) {
        return retryDelays.get(attempts - 1);
    }

    /** The message's failures so far. */
    static int attempts(Message message) {
        Object attempts = message.getMessageProperties().getHeader(DeliveryHeaders.ATTEMPTS);
        return attempts instanceof Number number ? number.intValue() : 0;
    }

    /** Puts the message into the retry tier for its {@code attempts}-th failure. */
    void retry(Message message, int attempts) {
        MessageBuilderSupport<Message> copy = copy(message).setHeader(DeliveryHeaders.ATTEMPTS, attempts);
        if (message.getMessageProperties().getHeader(DeliveryHeaders.FIRST_FAILED_AT) == null) {
            copy.setHeader(DeliveryHeaders.FIRST_FAILED_AT, Instant.now().toString());
        }
        send(queue.retryQueue(delayAfter(attempts)), copy.build());
    }

    /**
     * Puts the message into the shortest retry tier without counting an attempt: the downstream is
     * paused, which is not the message's fault.
     */
    void defer(Message message) {
        send(queue.retryQueue(retryDelays.getFirst()), copy(message).build());
    }

    /** Parks the message in the dead-letter queue with the reason and the last failure in its headers. */
    void park(Message message, String reason, Throwable failure, int attempts) {
        Object firstFailedAt = message.getMessageProperties().getHeader(DeliveryHeaders.FIRST_FAILED_AT);
        Message parked = copy(message)
                .setHeader(DeliveryHeaders.REASON, reason)
                .setHeader(DeliveryHeaders.EXCEPTION, failure.getClass().getName())
                .setHeader(DeliveryHeaders.EXCEPTION_MESSAGE, Failures.describe(failure))
                .setHeader(DeliveryHeaders.ATTEMPTS, attempts)
                .setHeader(DeliveryHeaders.FIRST_FAILED_AT, firstFailedAt == null ? Instant.now().toString() : firstFailedAt)
                .setHeader(DeliveryHeaders.PARKED_AT, Instant.now().toString())
                .build();
        send(queue.deadLetterQueue(), parked);
    }

    /**
     * Sends a parked message back to the work queue as if new: the parking and retry headers go, so
     * it gets every retry tier again.
     */
    void replay(Message parked) {
        Message message = copy(parked).build();
        var headers = message.getMessageProperties().getHeaders();
        List.of(DeliveryHeaders.ATTEMPTS, DeliveryHeaders.FIRST_FAILED_AT, DeliveryHeaders.REASON,
                DeliveryHeaders.EXCEPTION, DeliveryHeaders.EXCEPTION_MESSAGE, DeliveryHeaders.PARKED_AT, "x-death",
                "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange",
                "x-last-death-queue", "x-last-death-reason", "x-delivery-count")
                .forEach(headers::remove);
        send(queue.name(), message);
    }

    /** A copy to publish, remembering the routing key the message was first published with. */
    private static MessageBuilder copy(Message message) {
        MessageProperties properties = message.getMessageProperties();
        MessageBuilder copy = MessageBuilder.fromClonedMessage(message);
        if (properties.getHeader(DeliveryHeaders.ORIGINAL_ROUTING_KEY) == null
                && properties.getReceivedRoutingKey() != null) {
            copy.setHeader(DeliveryHeaders.ORIGINAL_ROUTING_KEY, properties.getReceivedRoutingKey());
        }
        return copy;
    }

    private void send(String target, Message message) {
        rabbit.sendConfirmed(queue.redeliveryExchange(), target, message, CONFIRM_TIMEOUT);
    }
}
