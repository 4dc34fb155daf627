package io.signuppipeline.messaging.outbox;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
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
}
