package io.signuppipeline.messaging.worker;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.outbox.Outbox;
import java.time.Duration;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker's listener: a container on the worker's queue that hands each batch to a
 * {@link StepListener}, which runs the step for every {@code user.signed_up} in it, and the parts it
 * is made of (the downstream calls, their rate limit and HTTP connections, the step's metrics).
 *
 * <p>Prefetch and concurrency come from Spring Boot's {@code spring.rabbitmq.listener.simple.*},
 * the batches from {@code messaging.consumer.*}; each consumer takes a batch at a time and makes
 * the batch's downstream calls side by side on virtual threads, so a worker holds as many calls in
 * flight as its consumers' batches together.
 */
@Configuration(proxyBeanMethods = false)
class StepListenerConfiguration {

    /** Connections for every call of every consumer's batch at once. */
    @Bean
    DownstreamHttp downstreamHttp(ConsumerProperties consumer, RabbitProperties rabbit) {
        return new DownstreamHttp(consumer.batchSize() * ConsumerProperties.consumers(rabbit));
    }

    @Bean
    StepMetrics stepMetrics(SignupStep<?> step, MeterRegistry meters) {
        return new StepMetrics(meters, step.name());
    }

    /** The downstream calls of each batch, side by side; closed with the context. */
    @Bean
    StepCalls stepCalls(SignupStep<?> step, DownstreamBreaker downstreamBreaker, StepMetrics stepMetrics,
            Redelivery redelivery, WorkerProperties properties) {
        return new StepCalls(step, downstreamBreaker, rateLimiter(step.name(), properties.maxRate()), stepMetrics,
                redelivery);
    }

    @Bean
    <R> SimpleMessageListenerContainer stepListenerContainer(SimpleRabbitListenerContainerFactory factory,
            SignupStep<R> step, ConsumerQueue workerQueue, Inbox inbox, Outbox outbox,
            TransactionTemplate transactions, RabbitTemplate rabbitTemplate, StepMetrics metrics, StepCalls calls,
            Redelivery redelivery, DownstreamBreaker downstreamBreaker, WorkerProperties properties,
            ConsumerProperties consumer, ObjectProvider<ObservationRegistry> observations, RabbitProperties rabbit) {
        StepListener listener = new StepListener(new StepTriage(inbox, downstreamBreaker, redelivery, step.name(),
                workerQueue.name()),
                calls, new StepRecords<>(step, inbox, outbox, transactions, properties.recordPatience()),
                redelivery, downstreamBreaker, new StepReport(step.name(), metrics, redelivery),
                ListenerObservations.configured(rabbit, observations, workerQueue.name()), workerQueue.name());
        SimpleMessageListenerContainer container = consumer.batchContainer(factory, workerQueue.name(),
                AcknowledgeMode.MANUAL, listener);
        container.setShutdownTimeout(properties.shutdownTimeout().toMillis());
        ManualDelivery probe = new ManualDelivery(rabbitTemplate, workerQueue.name(), listener);
        downstreamBreaker.control(container, probe::handleOne);
        return container;
    }

    /**
     * A limiter that hands out permits in small slices (every 10 ms at high rates) rather than all
     * at the start of each second, so the rate is steady.
     */
    private static RateLimiter rateLimiter(String step, double maxRate) {
        if (maxRate <= 0) {
            return null;
        }
        int permitsPerSlice = (int) Math.ceil(maxRate / 100);
        Duration slice = Duration.ofNanos((long) (permitsPerSlice * 1_000_000_000L / maxRate));
        return RateLimiter.of(step, RateLimiterConfig.custom()
                .limitForPeriod(permitsPerSlice)
                .limitRefreshPeriod(slice)
                .timeoutDuration(Duration.ofDays(1))
                .build());
    }
}
