package io.signuppipeline.api.status;

import io.micrometer.observation.Observation;
import io.signuppipeline.api.status.SignupSteps.StepKey;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import java.time.Instant;
import org.springframework.amqp.core.Message;
import tools.jackson.core.JacksonException;

/**
 * One worker's result as it arrived, read into its event, with its own observation so that its log
 * line and span belong to the signup's trace.
 *
 * @param message the message
 * @param data the event's payload; null for a type this API does not consume
 * @param time when the event happened, as its envelope says; null for a type this API does not consume
 * @param observation the message's consumer observation
 */
record StepResult(Message message, Object data, Instant time, Observation observation) {

    /**
     * Reads the message as the event its type names.
     *
     * @throws UnreadableResult when the body is not that event
     */
    static StepResult read(Message message, Observation observation) {
        Class<?> type = switch (message.getMessageProperties().getType()) {
            case SignupStepCompleted.TYPE -> SignupStepCompleted.class;
            case SignupStepFailed.TYPE -> SignupStepFailed.class;
            case SignupStepReplayed.TYPE -> SignupStepReplayed.class;
            case RiskAssessed.TYPE -> RiskAssessed.class;
            case SignupStepAnnounced.TYPE -> SignupStepAnnounced.class;
            case null, default -> null;
        };
        if (type == null) {
            return new StepResult(message, null, null, observation);
        }
        CloudEvent<?> event;
        try {
            event = EventJson.read(message.getBody(), type);
        } catch (JacksonException e) {
            throw new UnreadableResult(EventJson.problem(e));
        } catch (RuntimeException e) {
            throw new UnreadableResult(e.getMessage());
        }
        if (event.data() == null) {
            throw new UnreadableResult("no data");
        }
        if (event.data() instanceof SignupStepAnnounced announced && !announced.complete()) {
            throw new UnreadableResult("an announcement needs a step, a service, a queue and a start");
        }
        return new StepResult(message, event.data(), event.time(), observation);
    }

    String eventId() {
        return message.getMessageProperties().getMessageId();
    }

    String type() {
        return message.getMessageProperties().getType();
    }

    /** The step it is about; null for a risk assessment or an unknown type. */
    StepKey step() {
        return switch (data) {
            case SignupStepCompleted completed -> new StepKey(completed.signupId(), completed.step());
            case SignupStepFailed failed -> new StepKey(failed.signupId(), failed.step());
            case SignupStepReplayed replayed -> new StepKey(replayed.signupId(), replayed.step());
            case null, default -> null;
        };
    }

    /** A result whose body is not the event its type says. */
    static final class UnreadableResult extends RuntimeException {

        UnreadableResult(String message) {
            super(message, null, false, false);
        }
    }
}
