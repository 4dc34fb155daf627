package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A template for publishes that must not fail silently: {@code mandatory}, so the broker returns a
 * message it cannot route, and each return is read from the message's {@code CorrelationData}
 * together with its publisher confirm.
 *
 * <p>The connection factory must have correlated confirms and returns switched on.
 */
public class MandatoryRabbitTemplate extends RabbitTemplate {

    public MandatoryRabbitTemplate(ConnectionFactory connectionFactory) {
        super(connectionFactory);
        setMandatory(true);
        // Without a callback Spring logs every return as "no callback available"; the sender reads it instead.
        setReturnsCallback(returned -> { });
    }

    /**
     * A message and where to send it.
     *
     * @param exchange the exchange
     * @param routingKey the routing key
     * @param message the message
     */
    public record Outgoing(String exchange, String routingKey, Message message) {
    }

    /**
     * Sends one message and waits for the broker to take it: a positive confirm and no return. For a
     * copy whose original may be acknowledged only once the copy is safe.
     *
     * @throws AmqpException when the broker refused or returned it, or did not confirm in time
     */
    public void sendConfirmed(String exchange, String routingKey, Message message, Duration timeout) {
        sendConfirmed(List.of(new Outgoing(exchange, routingKey, message)), timeout);
    }

    /**
     * Sends the messages on one channel, then waits for the broker to take every one of them: one
     * round trip for them all rather than one each.
     *
     * @throws AmqpException when the broker refused or returned one of them, or did not confirm in time
     */
    public void sendConfirmed(List<Outgoing> messages, Duration timeout) {
        if (messages.isEmpty()) {
            return;
        }
        List<CorrelationData> sent = new ArrayList<>(messages.size());
        invoke(operations -> {
            for (Outgoing outgoing : messages) {
                CorrelationData correlation = new CorrelationData();
                operations.send(outgoing.exchange(), outgoing.routingKey(), outgoing.message(), correlation);
                sent.add(correlation);
            }
            return null;
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < sent.size(); i++) {
            awaitTaken(sent.get(i), messages.get(i).routingKey(), deadline);
        }
    }

    private static void awaitTaken(CorrelationData correlation, String routingKey, long deadline) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!confirm.ack() || correlation.getReturned() != null) {
                throw new AmqpException("The broker did not take the message for " + routingKey
                        + (confirm.reason() == null ? "" : ": " + confirm.reason()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpException("Interrupted while sending a message for " + routingKey, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AmqpException("No confirm for the message sent for " + routingKey, e);
        }
    }
}
