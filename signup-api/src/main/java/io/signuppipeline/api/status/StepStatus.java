package io.signuppipeline.api.status;

import java.time.Instant;

/**
 * One step of a signup as the API shows it.
 *
 * @param state PENDING until the worker's result arrives
 * @param at when the worker recorded the result; null while pending
 * @param durationMs how long the worker's downstream call took; null while pending
 * @param detail what the step produced: a Message-ID, a score and decision, a Stripe customer id
 * @param ambiguous DONE after an earlier attempt that may have done it too (it died, or could not
 *        record its effect, after its call): the effect may have happened twice, worth a look
 */
public record StepStatus(StepState state, Instant at, Long durationMs, String detail, boolean ambiguous) {

    static final StepStatus PENDING = new StepStatus(StepState.PENDING, null, null, null, false);
}
