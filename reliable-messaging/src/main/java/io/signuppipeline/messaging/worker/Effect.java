package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;

/**
 * A downstream call that succeeded, to be recorded.
 *
 * @param event the signup it was made for
 * @param result what the call produced
 * @param <R> the step's result type
 */
public record Effect<R>(CloudEvent<UserSignedUp> event, R result) {
}
