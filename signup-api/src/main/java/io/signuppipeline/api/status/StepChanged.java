package io.signuppipeline.api.status;

import java.util.UUID;

/**
 * A signup's step changed state in the status table: a worker's result was recorded. Published inside
 * the transaction that recorded it.
 *
 * @param signupId the signup
 * @param step the step's name, as its worker announced it
 * @param state its new state
 */
public record StepChanged(UUID signupId, String step, StepState state) {
}
