/**
 * The transactional outbox: services call {@link io.signuppipeline.messaging.outbox.Outbox}; how rows are claimed,
 * published with confirms, retried and purged stays inside.
 */
package io.signuppipeline.messaging.outbox;
