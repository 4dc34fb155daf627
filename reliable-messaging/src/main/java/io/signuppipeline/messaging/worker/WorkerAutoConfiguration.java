package io.signuppipeline.messaging.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerAutoConfiguration;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxAutoConfiguration;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a service with a {@link SignupStep} bean into a worker: its queue, and a listener that runs
 * the step for each {@code user.signed_up}.
 *
 * <p>Prefetch and concurrency come from Spring Boot's {@code spring.rabbitmq.listener.simple.*}.
 */
@AutoConfiguration(after = {RabbitAutoConfiguration.class, OutboxAutoConfiguration.class,
        ConsumerAutoConfiguration.class})
@ConditionalOnBean(SignupStep.class)
public class WorkerAutoConfiguration {

    /** The worker's queue is named for the service, e.g. {@code email-worker.user-signed-up}. */
    @Bean
    ConsumerQueue workerQueue(Environment environment) {
        String service = environment.getRequiredProperty("spring.application.name");
        return new ConsumerQueue(SignupTopology.queue(service, "user-signed-up"), SignupTopology.USER_SIGNED_UP);
    }

    @Bean
    Declarables workerQueues(ConsumerQueue workerQueue, ConsumerProperties properties) {
        return workerQueue.declarables(properties);
    }

    @Bean
    <R> SimpleMessageListenerContainer stepListenerContainer(SimpleRabbitListenerContainerFactory factory,
            SignupStep<R> step, ConsumerQueue workerQueue, JdbcClient jdbc, Outbox outbox,
            TransactionTemplate transactions, CachingConnectionFactory connectionFactory, MeterRegistry meters,
            ConsumerProperties properties) {
        StepListener<R> listener = new StepListener<>(step, new Inbox(jdbc), outbox, transactions,
                new DeadLetters(new MandatoryRabbitTemplate(connectionFactory), workerQueue.deadLetterQueue()),
                new StepMetrics(meters, step.name()), properties.retryDelay());
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId(workerQueue.name());
        endpoint.setQueueNames(workerQueue.name());
        endpoint.setAckMode(AcknowledgeMode.MANUAL);
        endpoint.setMessageListener(listener);
        return factory.createListenerContainer(endpoint);
    }
}
