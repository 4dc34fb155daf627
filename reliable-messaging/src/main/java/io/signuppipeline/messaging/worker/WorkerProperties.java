package io.signuppipeline.messaging.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a worker paces itself and protects its downstream. Concurrency and prefetch are Spring Boot's
 * {@code spring.rabbitmq.listener.simple.*}.
 *
 * @param maxRate the most downstream calls per second, 0 for no limit: a burst waits in the queue
 *        and drains at this rate instead of hitting the downstream all at once
 * @param breaker when to stop consuming because the downstream keeps failing
 * @param shutdownTimeout how long stopping waits for the messages in flight before it returns them
 *        to the queue
 */
@ConfigurationProperties("messaging.worker")
public record WorkerProperties(
        @DefaultValue("0") double maxRate,
        @DefaultValue Breaker breaker,
        @DefaultValue("20s") Duration shutdownTimeout) {

    /**
     * The circuit breaker around the downstream call. When it opens, the worker stops consuming; the
     * messages wait in its queue, where they cost no retry attempt.
     *
     * @param failureRateThreshold the percentage of failed calls that opens it
     * @param slidingWindow how many of the latest calls the rate is taken over
     * @param minimumCalls calls needed before the rate counts
     * @param openFor the cool-down before one message probes the downstream again
     */
    public record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration openFor) {
    }
}
