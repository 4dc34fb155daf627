package io.signuppipeline.api.status;

import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.ConsumerProperties;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps each signup's status current from the workers' results: steps done, failed and replayed,
 * and risk assessments that flag a user.
 *
 * <p>Applying a result twice changes nothing the second time, so redeliveries need no inbox here.
 * A message that fails is rejected into the queue's retry queue and comes back later.
 */
@Configuration(proxyBeanMethods = false)
class StepResults {

    private static final Logger log = LoggerFactory.getLogger(StepResults.class);
    private static final String QUEUE = SignupTopology.STEP_RESULTS_QUEUE;

    private final SignupSteps steps;

    StepResults(SignupSteps steps) {
        this.steps = steps;
    }

    @Bean
    static Declarables stepResultsQueue(ConsumerProperties properties) {
        return new ConsumerQueue(QUEUE, SignupTopology.STEP_COMPLETED, SignupTopology.STEP_FAILED,
                SignupTopology.STEP_REPLAYED, SignupTopology.RISK_ASSESSED)
                .declarables(properties);
    }

    @RabbitListener(queues = SignupTopology.STEP_RESULTS_QUEUE)
    @Transactional
    public void on(Message message) {
        String type = message.getMessageProperties().getType();
        if (SignupStepCompleted.TYPE.equals(type)) {
            SignupStepCompleted result = EventJson.read(message.getBody(), SignupStepCompleted.class).data();
            boolean changed = steps.completed(result);
            log.info("Step {} DONE signupId={} eventId={} took {} ms{}", result.step(), result.signupId(),
                    message.getMessageProperties().getMessageId(), result.durationMillis(),
                    changed ? "" : " (already recorded, or not a signup of ours)");
        } else if (SignupStepFailed.TYPE.equals(type)) {
            SignupStepFailed failure = EventJson.read(message.getBody(), SignupStepFailed.class).data();
            boolean changed = steps.failed(failure);
            log.warn("Step {} FAILED signupId={} eventId={} after {} attempts: {}{}", failure.step(),
                    failure.signupId(), message.getMessageProperties().getMessageId(), failure.attempts(),
                    failure.reason(), changed ? "" : " (already done, or not a signup of ours)");
        } else if (SignupStepReplayed.TYPE.equals(type)) {
            SignupStepReplayed replay = EventJson.read(message.getBody(), SignupStepReplayed.class).data();
            if (steps.replayed(replay)) {
                log.info("Step {} PENDING signupId={} eventId={}: replayed from the dead-letter queue", replay.step(),
                        replay.signupId(), message.getMessageProperties().getMessageId());
            }
        } else if (RiskAssessed.TYPE.equals(type)) {
            RiskAssessed assessed = EventJson.read(message.getBody(), RiskAssessed.class).data();
            if (assessed.flagsUser() && steps.flag(assessed.userId())) {
                log.info("User FLAGGED signupId={} eventId={}: fraud score {}, {}", assessed.userId(),
                        message.getMessageProperties().getMessageId(), assessed.score(), assessed.decision());
            }
        } else {
            log.warn("Ignoring a message of unknown type {} on {}", type, QUEUE);
        }
    }
}
