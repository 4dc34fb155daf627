package io.signuppipeline.api.status;

import java.time.Instant;

/**
 * A step of every signup, as the worker doing it announced it.
 *
 * @param name the step's name in each signup's status, e.g. {@code email}
 * @param service the worker's application name, e.g. {@code email-worker}
 * @param queue the work queue it consumes; its retry tiers and dead-letter queue are named after it
 * @param url the worker's HTTP address, for its health and replaying its parked messages; null for none
 * @param knownSince when the API first heard of it: signups from then on expect it
 * @param retiredAt when someone retired it: signups from then on no longer expect it; null while it counts
 */
public record Step(String name, String service, String queue, String url, Instant knownSince, Instant retiredAt) {

    /** Whether a signup created at that instant waits for this step. */
    public boolean expectedAt(Instant createdAt) {
        return !knownSince.isAfter(createdAt) && (retiredAt == null || retiredAt.isAfter(createdAt));
    }

    /** Whether new signups wait for it. */
    public boolean active() {
        return retiredAt == null;
    }

    /** Whether the queue is one of the worker's retry tiers, e.g. {@code email-worker.user-signed-up.retry.30s}. */
    public boolean isRetryQueue(String name) {
        return name.startsWith(queue + ".retry.");
    }

    /** Where the worker parks messages that can never succeed. */
    public String deadLetterQueue() {
        return queue + ".dlq";
    }
}
