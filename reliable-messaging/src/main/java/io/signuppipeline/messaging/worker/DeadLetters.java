package io.signuppipeline.messaging.worker;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Parks a message that can never be processed in the worker's dead-letter queue, with the reason in
 * its headers, so the queue keeps flowing and a person can look at it.
 */
class DeadLetters {

    static final String REASON = "x-parked-reason";
    static final String EXCEPTION = "x-exception-class";
    static final String EXCEPTION_MESSAGE = "x-exception-message";
    static final String PARKED_AT = "x-parked-at";
    static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";

    private final RabbitTemplate rabbit;
    private final String queue;

    DeadLetters(RabbitTemplate rabbit, String queue) {
        this.rabbit = rabbit;
        this.queue = queue;
    }

    /**
     * Publishes a copy to the dead-letter queue and waits for the broker's confirm; only then may the
     * caller acknowledge the original.
     */
    void park(Message message, String reason, Exception cause) {
        Message parked = MessageBuilder.fromClonedMessage(message)
                .setHeader(REASON, reason)
                .setHeader(EXCEPTION, cause.getClass().getName())
                .setHeader(EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()))
                .setHeader(PARKED_AT, Instant.now().toString())
                .setHeader(ORIGINAL_ROUTING_KEY, message.getMessageProperties().getReceivedRoutingKey())
                .build();
        CorrelationData correlation = new CorrelationData();
        rabbit.send("", queue, parked, correlation);
        try {
            if (!correlation.getFuture().get(5, TimeUnit.SECONDS).ack() || correlation.getReturned() != null) {
                throw new AmqpException("The broker did not take the parked message into " + queue);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpException("Interrupted while parking a message", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AmqpException("No confirm for the parked message in " + queue, e);
        }
    }
}
