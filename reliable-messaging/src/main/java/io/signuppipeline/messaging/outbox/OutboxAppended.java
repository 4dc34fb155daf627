package io.signuppipeline.messaging.outbox;

/**
 * Events were added to the outbox in the current transaction; after commit the relay wakes up.
 */
enum OutboxAppended {
    INSTANCE
}
