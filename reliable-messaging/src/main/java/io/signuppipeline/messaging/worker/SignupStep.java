package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import java.util.List;

/**
 * One worker's part of every signup: all a worker writes. Queues, batches, retries,
 * deduplication, the result event, logging and metrics come from this module.
 *
 * <p>The downstream call and the record of its effect are two methods because they run in two
 * places: the call with no database transaction open (it may take seconds, and must not hold a
 * connection meanwhile), one call per signup, the calls of a batch side by side; the record inside
 * the one transaction that also marks the batch's events processed and writes their result events,
 * so that they commit together or not at all.
 *
 * @param <R> what the downstream call produces
 */
public interface SignupStep<R> {

    /** The step's name in the signup's status: one of the step names in {@code SignupTopology}. */
    String name();

    /**
     * Does the work for one signup, typically one call to a downstream system. Throwing sends the
     * event to a later retry; nothing is recorded. Calls for several signups run at once, each on a
     * virtual thread of its own.
     *
     * @param event the signup, with its event id for idempotency keys
     * @return what the call produced, handed to {@link #record}
     * @throws Exception when the work did not happen
     */
    R on(CloudEvent<UserSignedUp> event) throws Exception;

    /**
     * Stores the effects of a batch in the worker's own schema, inside the transaction; best in one
     * statement, such as a JDBC batch.
     *
     * @param effects the calls that succeeded, each with its event
     */
    void record(List<Effect<R>> effects);

    /** The step's detail for the signup's status, such as a Message-ID; null for none. */
    default String detail(R result) {
        return null;
    }

    /**
     * Events to publish beside the step's result, written in the same transaction and in the
     * signup's trace, such as a risk assessment; none by default.
     */
    default List<Publication> publications(CloudEvent<UserSignedUp> event, R result) {
        return List.of();
    }
}
