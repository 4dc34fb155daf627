package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;

/**
 * One worker's part of every signup: all a worker writes. Queues, retries, deduplication, the
 * result event, logging and metrics come from this module.
 *
 * <p>The downstream call and the record of its effect are two methods because they run in two
 * places: the call with no database transaction open (it may take seconds, and must not hold a
 * connection meanwhile), the record inside the transaction that also marks the event processed and
 * writes the result event, so the three commit together or not at all.
 *
 * @param <R> what the downstream call produces
 */
public interface SignupStep<R> {

    /** The step's name in the signup's status: one of the step names in {@code SignupTopology}. */
    String name();

    /**
     * Does the work for one signup, typically one call to a downstream system. Throwing sends the
     * event to a later retry; nothing is recorded.
     *
     * @param event the signup, with its event id for idempotency keys
     * @return what the call produced, handed to {@link #record}
     * @throws Exception when the work did not happen
     */
    R on(CloudEvent<UserSignedUp> event) throws Exception;

    /**
     * Stores the effect in the worker's own schema. Runs inside the transaction; more events may be
     * appended to the outbox here.
     *
     * @param event the signup
     * @param result what {@link #on} produced
     * @return the step's detail for the signup's status, such as a Message-ID; null for none
     */
    String record(CloudEvent<UserSignedUp> event, R result);
}
