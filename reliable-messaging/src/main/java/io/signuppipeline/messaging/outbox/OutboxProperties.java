package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox relay publishes, retries and cleans up.
 *
 * @param relayEnabled whether this instance relays at all; every instance may, SKIP LOCKED keeps them apart
 * @param batchSize rows claimed and published per round trip
 * @param pollInterval how often the relay looks for rows nobody nudged it about (left by a crash, or due for retry)
 * @param linger how long the relay waits after a nudge before it claims, so that the events of many
 *        transactions committing close together go out in one round: one transaction and one round
 *        trip to the broker for all of them
 * @param confirmTimeout how long to wait for the broker's publisher confirms of one batch
 * @param initialBackoff delay before the first retry of a failed publish; it doubles per attempt
 * @param maxBackoff longest delay between two attempts
 * @param retention how long published rows are kept, for inspection, before they are deleted; zero
 *        deletes them as soon as the broker has confirmed them, which costs the database the least
 * @param cleanupInterval how often published rows past a non-zero retention are deleted
 * @param packEvents whether each run of claimed rows with the same routing key goes out as one
 *        message in CloudEvents' batched mode, rather than one message per row: a publish, a delivery
 *        and an acknowledgement for the run instead of one each per event. Only for events whose
 *        every consumer unpacks them, as signup-api does the workers' results
 */
@ConfigurationProperties("messaging.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("100") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10ms") Duration linger,
        @DefaultValue("15s") Duration confirmTimeout,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("0s") Duration retention,
        @DefaultValue("5m") Duration cleanupInterval,
        @DefaultValue("false") boolean packEvents) {

    /** Whether published rows are kept for a while rather than deleted once confirmed. */
    boolean keepsPublished() {
        return !retention.isZero();
    }

    /** The delay before the next attempt after {@code failedAttempts} failures: doubling, capped. */
    Duration backoffAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration delay = initialBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
