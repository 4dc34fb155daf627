package io.signuppipeline.messaging.consumer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service's own queue is declared.
 *
 * @param retryDelay how long a failed message waits in the retry queue before it is delivered again
 * @param deliveryLimit deliveries after which the broker stops redelivering a message that keeps
 *        killing its consumer, and dead-letters it to the retry queue instead
 */
@ConfigurationProperties("messaging.consumer")
public record ConsumerProperties(
        @DefaultValue("5s") Duration retryDelay,
        @DefaultValue("10") int deliveryLimit) {
}
