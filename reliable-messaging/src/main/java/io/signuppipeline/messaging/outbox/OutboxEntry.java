package io.signuppipeline.messaging.outbox;

import io.signuppipeline.events.CloudEvent;
import java.util.UUID;

/**
 * An event on its way into the outbox: the envelope as it will be published, and what the relay
 * needs to publish it.
 *
 * @param event the envelope
 * @param signupId the signup it belongs to, for logs and queries
 * @param routingKey where it goes on the signup exchange
 * @param traceparent the trace it was made in, continued by its publish; null for none
 */
public record OutboxEntry(CloudEvent<?> event, UUID signupId, String routingKey, String traceparent) {
}
