package io.signuppipeline.messaging.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An outbox row that the relay has claimed and is about to publish.
 *
 * @param id the event id
 * @param signupId the signup it belongs to
 * @param type the event type
 * @param routingKey where it goes on the signup exchange
 * @param payload the envelope as JSON
 * @param occurredAt when the event happened
 * @param attempts how many publish attempts have failed before this one
 * @param traceparent the trace it was appended in, null for none
 */
record PendingMessage(UUID id, UUID signupId, String type, String routingKey, String payload, Instant occurredAt,
        int attempts, String traceparent) {
}
