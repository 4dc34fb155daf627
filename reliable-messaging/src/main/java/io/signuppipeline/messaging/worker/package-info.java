/**
 * The worker runtime: a service supplies a {@link io.signuppipeline.messaging.worker.SignupStep}; deduplication,
 * acknowledgement, result events, logging and metrics stay inside.
 */
package io.signuppipeline.messaging.worker;
