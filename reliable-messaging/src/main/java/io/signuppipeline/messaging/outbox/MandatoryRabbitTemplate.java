package io.signuppipeline.messaging.outbox;

import java.time.Duration;
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
     * Sends one message and waits for the broker to take it: a positive confirm and no return. For a
     * copy whose original may be acknowledged only once the copy is safe.
     *
     * @throws AmqpException when the broker refused or returned it, or did not confirm in time
     */
    public void sendConfirmed(String exchange, String routingKey, Message message, Duration timeout) {
        CorrelationData correlation = new CorrelationData();
        send(exchange, routingKey, message, correlation);
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
