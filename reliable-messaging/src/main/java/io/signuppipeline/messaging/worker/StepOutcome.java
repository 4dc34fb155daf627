package io.signuppipeline.messaging.worker;

/**
 * What became of one delivery.
 */
enum StepOutcome {
    /** The effect is recorded and the result event written. */
    DONE,
    /** The event had been processed before; nothing was done again. */
    DUPLICATE,
    /** The work failed; the message waits in its next retry tier. */
    RETRY,
    /** The downstream is paused by its circuit breaker; the message waits, no attempt counted. */
    DEFERRED,
    /** The message can never be processed; it is parked in the dead-letter queue. */
    PARKED;

    String label() {
        return name().toLowerCase();
    }
}
