package io.signuppipeline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker has done its part of a signup; the signup API shows it as the step's status.
 *
 * @param signupId the signup the step belongs to
 * @param step which step: one of the {@link SignupTopology} step names
 * @param completedAt when the worker recorded the effect
 * @param durationMillis how long the downstream call took
 * @param detail what the step produced, for people: a Message-ID, a score, a customer id; may be null
 */
public record SignupStepCompleted(UUID signupId, String step, Instant completedAt, long durationMillis,
        String detail) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "signup.step_completed";
}
