package io.signuppipeline.messaging.worker;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerAutoConfiguration;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxAutoConfiguration;
import java.time.Duration;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a service with a {@link SignupStep} bean into a worker: its queues, a listener that runs the
 * step for each {@code user.signed_up}, the circuit breaker and rate limit around the downstream,
 * and the dead-letter replay endpoint.
 *
 * <p>Prefetch and concurrency come from Spring Boot's {@code spring.rabbitmq.listener.simple.*},
 * the batches from {@code messaging.consumer.*}; each consumer takes a batch at a time and makes
 * the batch's downstream calls side by side on virtual threads, so a worker holds as many calls in
 * flight as its consumers' batches together.
 */
@AutoConfiguration(after = {RabbitAutoConfiguration.class, OutboxAutoConfiguration.class,
        ConsumerAutoConfiguration.class})
@ConditionalOnBean(SignupStep.class)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerAutoConfiguration {

    /** The worker's queue is named for the service, e.g. {@code email-worker.user-signed-up}. */
    @Bean
    ConsumerQueue workerQueue(Environment environment) {
        String service = environment.getRequiredProperty("spring.application.name");
        return new ConsumerQueue(SignupTopology.workQueue(service), SignupTopology.USER_SIGNED_UP);
    }

    @Bean
    Declarables workerQueues(ConsumerQueue workerQueue, ConsumerProperties properties) {
        return workerQueue.declarables(properties);
    }

    @Bean
    Redelivery redelivery(CachingConnectionFactory connectionFactory, ConsumerQueue workerQueue,
            ConsumerProperties properties) {
        return new Redelivery(new MandatoryRabbitTemplate(connectionFactory), workerQueue, properties.retryDelays());
    }

    @Bean
    DownstreamBreaker downstreamBreaker(SignupStep<?> step, WorkerProperties properties) {
        return new DownstreamBreaker(step.name(), properties.breaker());
    }

    @Bean
    DownstreamHealth downstreamHealthIndicator(DownstreamBreaker downstreamBreaker) {
        return new DownstreamHealth(downstreamBreaker);
    }

    @Bean
    Inbox inbox(JdbcClient jdbc, WorkerProperties properties) {
        return new Inbox(jdbc, properties.claimLease());
    }

    @Bean
    DeadLetterReplay deadLetterReplay(RabbitTemplate rabbitTemplate, ConsumerQueue workerQueue, Redelivery redelivery,
            Inbox inbox, Outbox outbox, TransactionTemplate transactions, SignupStep<?> step) {
        return new DeadLetterReplay(rabbitTemplate, workerQueue, redelivery, inbox, outbox, transactions, step.name());
    }

    /** Tells the signup API, and anyone else listening, that this worker does its step of every signup. */
    @Bean
    StepAnnouncer stepAnnouncer(CachingConnectionFactory connectionFactory, SignupStep<?> step,
            ConsumerQueue workerQueue, Environment environment, WorkerProperties properties) {
        String service = environment.getRequiredProperty("spring.application.name");
        return new StepAnnouncer(new MandatoryRabbitTemplate(connectionFactory), step.name(), service,
                workerQueue.name(), () -> ownUrl(properties, environment), properties.announceEvery());
    }

    /** The configured address, else this machine's loopback and the port the web server took; null without one. */
    private static String ownUrl(WorkerProperties properties, Environment environment) {
        if (!properties.url().isBlank()) {
            return properties.url();
        }
        String port = environment.getProperty("local.server.port");
        return port == null ? null : "http://127.0.0.1:" + port;
    }

    /** Connections for every call of every consumer's batch at once. */
    @Bean
    DownstreamHttp downstreamHttp(ConsumerProperties consumer, RabbitProperties rabbit) {
        Integer consumers = rabbit.getListener().getSimple().getConcurrency();
        return new DownstreamHttp(consumer.batchSize() * (consumers == null ? 1 : consumers));
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
        ObservationRegistry registry = rabbit.getListener().getSimple().isObservationEnabled()
                ? observations.getIfAvailable(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP;
        StepListener listener = new StepListener(new StepTriage(inbox, downstreamBreaker, redelivery, step.name(),
                workerQueue.name()),
                calls, new StepRecords<>(step, inbox, outbox, transactions, properties.recordPatience()),
                redelivery, downstreamBreaker, new StepReport(step.name(), metrics, redelivery),
                new ListenerObservations(registry, workerQueue.name()), workerQueue.name());
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId(workerQueue.name());
        endpoint.setQueueNames(workerQueue.name());
        endpoint.setAckMode(AcknowledgeMode.MANUAL);
        endpoint.setMessageListener(listener);
        SimpleMessageListenerContainer container = factory.createListenerContainer(endpoint);
        consumer.applyTo(container);
        // The container would make one observation for the whole batch; the listener makes one per message.
        container.setObservationEnabled(false);
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

    /** The replay endpoint, where the worker serves HTTP, behind the operator's credential. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(SecurityFilterChain.class)
    static class DeadLetterWebConfiguration {

        @Bean
        DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay deadLetterReplay) {
            return new DeadLetterEndpoint(deadLetterReplay);
        }

        @Bean
        SecurityFilterChain adminEndpoints(HttpSecurity http) throws Exception {
            return AdminSecurity.adminEndpoints(http);
        }

        @Bean
        InMemoryUserDetailsManager workerOperator(WorkerProperties properties) {
            return AdminSecurity.operator(properties.admin());
        }
    }
}
