package io.signuppipeline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone has moved a parked event back to the worker's queue; the signup API shows the step as
 * PENDING again until its result arrives.
 *
 * @param signupId the signup the step belongs to
 * @param step which step: one of the {@link SignupTopology} step names
 * @param replayedAt when the event went back to the queue
 */
public record SignupStepReplayed(UUID signupId, String step, Instant replayedAt) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "signup.step_replayed";
}
