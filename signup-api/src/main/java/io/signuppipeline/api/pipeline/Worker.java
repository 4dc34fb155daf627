package io.signuppipeline.api.pipeline;

import io.signuppipeline.events.SignupTopology;
import java.util.List;

/**
 * One of the four services that each do a step of every signup, and the work queue it consumes.
 *
 * @param service the worker's application name, which its queue is named after
 * @param step the step it records in {@code signup_steps}
 */
public record Worker(String service, String step) {

    /** The workers in the order a person reads a signup's steps. */
    public static final List<Worker> ALL = List.of(
            new Worker("email-worker", SignupTopology.EMAIL_STEP),
            new Worker("fraud-worker", SignupTopology.FRAUD_STEP),
            new Worker("billing-worker", SignupTopology.BILLING_STEP),
            new Worker("notify-worker", SignupTopology.NOTIFY_STEP));

    /** What every worker consumes; reliable-messaging names the work queue after it. */
    private static final String CONSUMES = "user-signed-up";

    /** The work queue, e.g. {@code email-worker.user-signed-up}. */
    String queue() {
        return SignupTopology.queue(service, CONSUMES);
    }

    /** Whether the queue is one of this worker's retry tiers, e.g. {@code email-worker.user-signed-up.retry.30s}. */
    boolean isRetryQueue(String name) {
        return name.startsWith(queue() + ".retry.");
    }

    /** Where the worker parks messages that can never succeed. */
    String deadLetterQueue() {
        return queue() + ".dlq";
    }
}
