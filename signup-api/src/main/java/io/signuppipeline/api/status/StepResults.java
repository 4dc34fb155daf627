package io.signuppipeline.api.status;

import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.consumer.Parking;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps each signup's status current from the workers' results, read in batches from the API's own
 * queue: steps done, failed and replayed, risk assessments that flag a user, and the workers'
 * announcements of the steps they do.
 */
@Configuration(proxyBeanMethods = false)
class StepResults {

    private static final ConsumerQueue RESULTS = new ConsumerQueue(SignupTopology.STEP_RESULTS_QUEUE,
            SignupTopology.STEP_COMPLETED, SignupTopology.STEP_FAILED, SignupTopology.STEP_REPLAYED,
            SignupTopology.RISK_ASSESSED, SignupTopology.STEP_ANNOUNCED);

    @Bean
    static Declarables stepResultsQueue(ConsumerProperties properties) {
        return RESULTS.declarables(properties);
    }

    /**
     * Batches acknowledged by the container once applied; a batch that fails is rejected into the
     * queue's first retry tier ({@code spring.rabbitmq.listener.simple.default-requeue-rejected=false}).
     */
    @Bean
    SimpleMessageListenerContainer stepResultsContainer(SimpleRabbitListenerContainerFactory factory,
            ConsumerProperties consumer, SignupSteps steps, StepAnnouncements announcements,
            TransactionTemplate transactions, ApplicationEventPublisher events, ConnectionFactory connectionFactory,
            ObjectProvider<ObservationRegistry> observations, RabbitProperties rabbit) {
        StepResultsListener listener = new StepResultsListener(steps, announcements, transactions, events,
                new StepResultsLog(new Parking(connectionFactory, RESULTS), RESULTS),
                ListenerObservations.configured(rabbit, observations, RESULTS.name()));
        return consumer.batchContainer(factory, RESULTS.name(), AcknowledgeMode.AUTO, listener);
    }
}
