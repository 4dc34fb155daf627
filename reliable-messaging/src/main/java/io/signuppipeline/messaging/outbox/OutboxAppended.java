package io.signuppipeline.messaging.outbox;

import java.util.List;
import java.util.UUID;

/**
 * Events were added to the outbox in the current transaction; after commit the relay wakes up and
 * claims these rows by their ids.
 *
 * @param ids the appended rows' ids
 */
record OutboxAppended(List<UUID> ids) {
}
