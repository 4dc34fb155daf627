package io.signuppipeline.api.status;

import io.micrometer.observation.Observation;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.Parking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;

/**
 * What became of each result: one line in its signup's trace, then the end of its span; and the
 * parking of a result that can never be read.
 */
class StepResultsLog {

    private static final Logger log = LoggerFactory.getLogger(StepResults.class);
    private final Parking parking;
    private final ConsumerQueue queue;

    StepResultsLog(Parking parking, ConsumerQueue queue) {
        this.parking = parking;
        this.queue = queue;
    }

    /** The result was applied: {@code changed} says whether it changed the signup's status. */
    void applied(StepResult result, boolean changed) {
        try (Observation.Scope scope = result.observation().openScope()) {
            String eventId = result.eventId();
            switch (result.data()) {
                case SignupStepCompleted done -> log.info("Step {} DONE signupId={} eventId={} took {} ms{}", done.step(),
                        done.signupId(), eventId, done.durationMillis(),
                        changed ? "" : " (already recorded, or not a signup of ours)");
                case SignupStepFailed failed -> log.warn("Step {} FAILED signupId={} eventId={} after {} attempts: {}{}",
                        failed.step(), failed.signupId(), eventId, failed.attempts(), failed.reason(),
                        changed ? "" : " (already done, or not a signup of ours)");
                case SignupStepReplayed replayed -> {
                    if (changed) {
                        log.info("Step {} PENDING signupId={} eventId={}: replayed from the dead-letter queue",
                                replayed.step(), replayed.signupId(), eventId);
                    }
                }
                case RiskAssessed assessed -> {
                    if (changed) {
                        log.info("User FLAGGED signupId={} eventId={}: risk score {}, {}", assessed.userId(), eventId,
                                assessed.score(), assessed.decision());
                    }
                }
                case SignupStepAnnounced announced -> {
                    if (changed) {
                        log.info("Step {} ANNOUNCED by {} at {}: queue {}, address {}; new signups wait for it",
                                announced.step(), announced.service(), result.time(), announced.queue(),
                                announced.url());
                    }
                }
                case null, default -> log.warn("Ignoring a message of unknown type {} on {}", result.type(),
                        queue.name());
            }
        } finally {
            result.observation().stop();
        }
    }

    /**
     * Parks a result that can never be read in the queue's dead-letter queue, confirmed, instead of
     * letting it go round the retry tier for ever.
     */
    void park(Message message, StepResult.UnreadableResult unreadable) {
        parking.park(message, "unreadable " + message.getMessageProperties().getType(), unreadable.getMessage());
        log.error("Result PARKED eventId={} in {}: {}", message.getMessageProperties().getMessageId(),
                queue.deadLetterQueue(), unreadable.getMessage());
    }
}
