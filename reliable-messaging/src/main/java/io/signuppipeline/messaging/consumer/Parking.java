package io.signuppipeline.messaging.consumer;

import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The dead-letter queue of a {@link ConsumerQueue}, where a message that can never succeed waits for a
 * person: parks a copy with why, which the broker confirms before the original may be acknowledged
 * (a crash in between leaves two copies, never none), and moves a parked message back to the queue.
 * The workers park through it, and so does the signup API's result listener.
 */
public final class Parking {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(15);

    private final MandatoryRabbitTemplate rabbit;
    private final ConsumerQueue queue;

    /**
     * @param connectionFactory one with correlated publisher confirms and returns
     * @param queue the queue whose dead-letter queue this is
     */
    public Parking(ConnectionFactory connectionFactory, ConsumerQueue queue) {
        this(new MandatoryRabbitTemplate(connectionFactory), queue);
    }

    public Parking(MandatoryRabbitTemplate rabbit, ConsumerQueue queue) {
        this.rabbit = rabbit;
        this.queue = queue;
    }

    /**
     * Parks one message, confirmed.
     *
     * @param reason why, for the person who looks, e.g. "unreadable signup.step_completed"
     * @param problem what went wrong, without a stack trace
     * @throws org.springframework.amqp.AmqpException when the broker did not take the copy
     */
    public void park(Message message, String reason, String problem) {
        Message parked = DeliveryHeaders.copy(message)
                .setHeader(DeliveryHeaders.REASON, reason)
                .setHeader(DeliveryHeaders.EXCEPTION_MESSAGE, problem)
                .setHeader(DeliveryHeaders.PARKED_AT, Instant.now().toString())
                .build();
        rabbit.sendConfirmed(List.of(to(queue.deadLetterQueue(), parked)), CONFIRM_TIMEOUT);
    }

    /**
     * The parked copy of a message whose attempts ran out, to send with others in one round of
     * confirms: the reason, the last failure and the attempts in its headers.
     *
     * @param failure the last failure's class, and its message without a stack trace
     */
    public MandatoryRabbitTemplate.Outgoing parkedCopy(Message message, String reason, Class<?> failure,
            String failureMessage, int attempts) {
        Object firstFailedAt = message.getMessageProperties().getHeader(DeliveryHeaders.FIRST_FAILED_AT);
        Message parked = DeliveryHeaders.copy(message)
                .setHeader(DeliveryHeaders.REASON, reason)
                .setHeader(DeliveryHeaders.EXCEPTION, failure.getName())
                .setHeader(DeliveryHeaders.EXCEPTION_MESSAGE, failureMessage)
                .setHeader(DeliveryHeaders.ATTEMPTS, attempts)
                .setHeader(DeliveryHeaders.FIRST_FAILED_AT, firstFailedAt == null ? Instant.now().toString() : firstFailedAt)
                .setHeader(DeliveryHeaders.PARKED_AT, Instant.now().toString())
                .build();
        return to(queue.deadLetterQueue(), parked);
    }

    /**
     * Sends a parked message back to the queue as if new, confirmed: the parking and retry headers go,
     * so it gets every retry tier again.
     */
    public void replay(Message parked) {
        Message message = DeliveryHeaders.copy(parked).build();
        var headers = message.getMessageProperties().getHeaders();
        List.of(DeliveryHeaders.ATTEMPTS, DeliveryHeaders.FIRST_FAILED_AT, DeliveryHeaders.REASON,
                DeliveryHeaders.EXCEPTION, DeliveryHeaders.EXCEPTION_MESSAGE, DeliveryHeaders.PARKED_AT, "x-death",
                "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange",
                "x-last-death-queue", "x-last-death-reason", "x-delivery-count")
                .forEach(headers::remove);
        rabbit.sendConfirmed(List.of(to(queue.name(), message)), CONFIRM_TIMEOUT);
    }

    private MandatoryRabbitTemplate.Outgoing to(String target, Message message) {
        return new MandatoryRabbitTemplate.Outgoing(queue.redeliveryExchange(), target, message);
    }
}
