package io.signuppipeline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker has given up on its part of a signup and parked the event in its dead-letter queue; the
 * signup API shows the step as FAILED until someone replays it.
 *
 * @param signupId the signup the step belongs to
 * @param step which step: one of the {@link SignupTopology} step names
 * @param failedAt when the worker parked the event
 * @param attempts how many times the step was tried
 * @param reason why it was parked, for people: a permanent error, or the last error after the final retry
 */
public record SignupStepFailed(UUID signupId, String step, Instant failedAt, int attempts, String reason) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "signup.step_failed";
}
