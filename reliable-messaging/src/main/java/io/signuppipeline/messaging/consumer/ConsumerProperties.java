package io.signuppipeline.messaging.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service's own queue is declared.
 *
 * @param retryDelays the retry tiers: how long a message waits on the broker before its first,
 *        second, ... retry; after the last one a worker parks it
 * @param deliveryLimit deliveries after which the broker stops redelivering a message that keeps
 *        killing its consumer, and dead-letters it instead
 * @param parkedRetention how long a parked message is kept before the broker deletes it: parked
 *        messages hold personal data (an email address, a name), so they do not stay for ever
 * @param batchSize the most messages a consumer handles together, in one transaction and with one
 *        acknowledgement; keep the listener's prefetch at about twice this, so the next batch is
 *        already on its way while one is handled
 * @param batchWait how long a consumer waits for more messages before it handles a batch that is
 *        not full: the most a lone message waits for company
 * @param reconnect how a consumer that lost the broker, or was refused by it, tries again
 */
@ConfigurationProperties("messaging.consumer")
public record ConsumerProperties(
        @DefaultValue({"1s", "5s", "30s", "2m", "10m"}) List<Duration> retryDelays,
        @DefaultValue("10") int deliveryLimit,
        @DefaultValue("14d") Duration parkedRetention,
        @DefaultValue("50") int batchSize,
        @DefaultValue("20ms") Duration batchWait,
        @DefaultValue Reconnect reconnect) {

    public ConsumerProperties {
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("messaging.consumer.retry-delays needs at least one delay");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("messaging.consumer.batch-size must be at least 1");
        }
        retryDelays = List.copyOf(retryDelays);
    }

    /**
     * How a consumer tries again, by itself and for as long as it takes, when it cannot consume: a
     * refused login, a vhost or queue that is gone, a broker that is away.
     *
     * @param firstWait the wait before the first attempt; it doubles after each failed one
     * @param longestWait the longest wait between two attempts
     * @param startupGrace how long a consumer may take to start before it counts as not consuming
     */
    public record Reconnect(
            @DefaultValue("1s") Duration firstWait,
            @DefaultValue("30s") Duration longestWait,
            @DefaultValue("20s") Duration startupGrace) {
    }

    /**
     * How many consumers each of the service's listener containers runs: Spring Boot's
     * {@code spring.rabbitmq.listener.simple.concurrency}, or Spring AMQP's own 1 when it is not set.
     */
    public static int consumers(RabbitProperties rabbit) {
        return Objects.requireNonNullElse(rabbit.getListener().getSimple().getConcurrency(), 1);
    }

    /**
     * A container, named for its queue, that hands the listener batches as these settings say. It
     * makes no observation of its own: it would make one for the whole batch, and the listener makes
     * one per message ({@link ListenerObservations}).
     */
    public SimpleMessageListenerContainer batchContainer(SimpleRabbitListenerContainerFactory factory, String queue,
            AcknowledgeMode acknowledgements, MessageListener listener) {
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId(queue);
        endpoint.setQueueNames(queue);
        endpoint.setAckMode(acknowledgements);
        endpoint.setMessageListener(listener);
        SimpleMessageListenerContainer container = factory.createListenerContainer(endpoint);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(batchSize);
        container.setReceiveTimeout(batchWait.toMillis());
        container.setBatchReceiveTimeout(batchWait.toMillis());
        container.setObservationEnabled(false);
        return container;
    }
}
