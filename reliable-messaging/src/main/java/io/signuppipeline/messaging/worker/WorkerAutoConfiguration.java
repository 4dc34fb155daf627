package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerAutoConfiguration;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxAutoConfiguration;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a service with a {@link SignupStep} bean into a worker: its queues, its inbox, the circuit
 * breaker around the downstream, the announcement of its step, the dead-letter replay endpoint, and
 * ({@link StepListenerConfiguration}) the listener that runs the step for each {@code user.signed_up}.
 */
@AutoConfiguration(after = {RabbitAutoConfiguration.class, OutboxAutoConfiguration.class,
        ConsumerAutoConfiguration.class})
@ConditionalOnBean(SignupStep.class)
@EnableConfigurationProperties(WorkerProperties.class)
@Import(StepListenerConfiguration.class)
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
