package io.signuppipeline.messaging.outbox;

import java.util.UUID;

/**
 * An event was added to the outbox in the current transaction; after commit the relay wakes up.
 *
 * @param eventId the event's id
 */
record OutboxAppended(UUID eventId) {
}
