package io.signuppipeline.messaging.consumer;

import java.time.Duration;
import java.util.List;
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
 */
@ConfigurationProperties("messaging.consumer")
public record ConsumerProperties(
        @DefaultValue({"1s", "5s", "30s", "2m", "10m"}) List<Duration> retryDelays,
        @DefaultValue("10") int deliveryLimit,
        @DefaultValue("14d") Duration parkedRetention) {

    public ConsumerProperties {
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("messaging.consumer.retry-delays needs at least one delay");
        }
        retryDelays = List.copyOf(retryDelays);
    }
}
