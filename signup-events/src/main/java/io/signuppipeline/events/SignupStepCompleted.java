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
 * @param ambiguous an earlier attempt claimed the event, made or may have made its call, and died or
 *        could not record it before this one did its work: the effect may have happened twice (two
 *        emails, two Slack posts); false when absent
 */
public record SignupStepCompleted(UUID signupId, String step, Instant completedAt, long durationMillis,
        String detail, boolean ambiguous) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "signup.step_completed";

    /** A step done once, as nearly every one is. */
    public SignupStepCompleted(UUID signupId, String step, Instant completedAt, long durationMillis, String detail) {
        this(signupId, step, completedAt, durationMillis, detail, false);
    }
}
