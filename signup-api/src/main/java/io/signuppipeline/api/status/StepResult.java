package io.signuppipeline.api.status;

import io.micrometer.observation.Observation;
import io.signuppipeline.api.status.SignupSteps.StepKey;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import org.springframework.amqp.core.Message;

/**
 * One worker's result as it arrived, read into its event, with its own observation so that its log
 * line and span belong to the signup's trace.
 *
 * @param message the message
 * @param data the event's payload; null for a type this API does not consume
 * @param observation the message's consumer observation
 */
record StepResult(Message message, Object data, Observation observation) {

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
            case null, default -> null;
        };
        if (type == null) {
            return new StepResult(message, null, observation);
        }
        Object data;
        try {
            data = EventJson.read(message.getBody(), type).data();
        } catch (RuntimeException e) {
            throw new UnreadableResult(e.getMessage());
        }
        if (data == null) {
            throw new UnreadableResult("no data");
        }
        return new StepResult(message, data, observation);
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
