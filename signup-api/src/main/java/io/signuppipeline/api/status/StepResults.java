package io.signuppipeline.api.status;

import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import io.signuppipeline.messaging.worker.DeliveryHeaders;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps each signup's status current from the workers' results: steps done, failed and replayed,
 * and risk assessments that flag a user.
 *
 * <p>Applying a result twice changes nothing the second time, so redeliveries need no inbox here.
 * A message that fails (the database is down) is rejected into the queue's first retry tier and
 * comes back later; one that can never be read is parked in the queue's dead-letter queue.
 */
@Configuration(proxyBeanMethods = false)
class StepResults {

    private static final Logger log = LoggerFactory.getLogger(StepResults.class);
    private static final String QUEUE = SignupTopology.STEP_RESULTS_QUEUE;

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    private static final ConsumerQueue RESULTS = new ConsumerQueue(QUEUE, SignupTopology.STEP_COMPLETED,
            SignupTopology.STEP_FAILED, SignupTopology.STEP_REPLAYED, SignupTopology.RISK_ASSESSED);

    private final SignupSteps steps;
    private final MandatoryRabbitTemplate rabbit;
    private final ApplicationEventPublisher events;

    StepResults(SignupSteps steps, ConnectionFactory connectionFactory, ApplicationEventPublisher events) {
        this.steps = steps;
        this.rabbit = new MandatoryRabbitTemplate(connectionFactory);
        this.events = events;
    }

    @Bean
    static Declarables stepResultsQueue(ConsumerProperties properties) {
        return RESULTS.declarables(properties);
    }

    @RabbitListener(queues = SignupTopology.STEP_RESULTS_QUEUE)
    @Transactional
    public void on(Message message) {
        String type = message.getMessageProperties().getType();
        String eventId = message.getMessageProperties().getMessageId();
        try {
            switch (type) {
                case SignupStepCompleted.TYPE -> completed(read(message, SignupStepCompleted.class), eventId);
                case SignupStepFailed.TYPE -> failed(read(message, SignupStepFailed.class), eventId);
                case SignupStepReplayed.TYPE -> replayed(read(message, SignupStepReplayed.class), eventId);
                case RiskAssessed.TYPE -> assessed(read(message, RiskAssessed.class), eventId);
                case null, default -> log.warn("Ignoring a message of unknown type {} on {}", type, QUEUE);
            }
        } catch (UnreadableResult unreadable) {
            park(message, unreadable);
        }
    }

    private void completed(SignupStepCompleted result, String eventId) {
        boolean changed = steps.completed(result);
        if (changed) {
            events.publishEvent(new StepChanged(result.signupId(), result.step(), StepState.DONE));
        }
        log.info("Step {} DONE signupId={} eventId={} took {} ms{}", result.step(), result.signupId(), eventId,
                result.durationMillis(), changed ? "" : " (already recorded, or not a signup of ours)");
    }

    private void failed(SignupStepFailed failure, String eventId) {
        boolean changed = steps.failed(failure);
        if (changed) {
            events.publishEvent(new StepChanged(failure.signupId(), failure.step(), StepState.FAILED));
        }
        log.warn("Step {} FAILED signupId={} eventId={} after {} attempts: {}{}", failure.step(), failure.signupId(),
                eventId, failure.attempts(), failure.reason(), changed ? "" : " (already done, or not a signup of ours)");
    }

    private void replayed(SignupStepReplayed replay, String eventId) {
        if (steps.replayed(replay)) {
            events.publishEvent(new StepChanged(replay.signupId(), replay.step(), StepState.PENDING));
            log.info("Step {} PENDING signupId={} eventId={}: replayed from the dead-letter queue", replay.step(),
                    replay.signupId(), eventId);
        }
    }

    private void assessed(RiskAssessed assessed, String eventId) {
        if (assessed.flagsUser() && steps.flag(assessed.userId())) {
            log.info("User FLAGGED signupId={} eventId={}: fraud score {}, {}", assessed.userId(), eventId,
                    assessed.score(), assessed.decision());
        }
    }

    private static <T> T read(Message message, Class<T> type) {
        T data;
        try {
            data = EventJson.read(message.getBody(), type).data();
        } catch (RuntimeException e) {
            throw new UnreadableResult(e.getMessage());
        }
        if (data == null) {
            throw new UnreadableResult("no data");
        }
        return data;
    }

    /**
     * Parks a result that can never be read in the queue's dead-letter queue, confirmed, instead of
     * letting it go round the retry tier for ever.
     */
    private void park(Message message, UnreadableResult unreadable) {
        Message parked = MessageBuilder.fromClonedMessage(message)
                .setHeader(DeliveryHeaders.REASON, "unreadable " + message.getMessageProperties().getType())
                .setHeader(DeliveryHeaders.EXCEPTION_MESSAGE, unreadable.getMessage())
                .setHeader(DeliveryHeaders.PARKED_AT, Instant.now().toString())
                .build();
        rabbit.sendConfirmed(RESULTS.redeliveryExchange(), RESULTS.deadLetterQueue(), parked, CONFIRM_TIMEOUT);
        log.error("Result PARKED eventId={} in {}: {}", message.getMessageProperties().getMessageId(),
                RESULTS.deadLetterQueue(), unreadable.getMessage());
    }

    /** A result whose body is not the event its type says. */
    private static final class UnreadableResult extends RuntimeException {

        UnreadableResult(String message) {
            super(message, null, false, false);
        }
    }
}
