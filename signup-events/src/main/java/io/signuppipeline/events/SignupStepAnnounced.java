package io.signuppipeline.events;

import java.time.Instant;

/**
 * A worker does a step of every signup from now on: it has bound its queue to {@code user.signed_up}.
 * Each worker says so when it starts and again every little while, so that the signup API learns the
 * steps from the workers themselves and never has to be told their names.
 *
 * @param step the step's name in each signup's status, e.g. {@code email}
 * @param service the worker's application name, e.g. {@code email-worker}
 * @param queue the work queue it consumes, e.g. {@code email-worker.user-signed-up}; its retry tiers
 *        and dead-letter queue are named after it
 * @param url the worker's own HTTP address, for its health and the replay of its parked messages;
 *        null when it has none
 * @param startedAt when the announcing instance started, so that a step retired by hand comes back
 *        only with a worker deployed after the retirement
 */
public record SignupStepAnnounced(String step, String service, String queue, String url, Instant startedAt) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "signup.step_announced";

    /** Whether it names a step, its worker, its queue and the instance's start: all a consumer needs. */
    public boolean complete() {
        return step != null && !step.isBlank() && service != null && !service.isBlank() && queue != null
                && !queue.isBlank() && startedAt != null;
    }
}
