package io.signuppipeline.messaging.worker;

/**
 * What becomes of one delivery: each ends in exactly one fate before the batch is acknowledged.
 */
sealed interface Fate {

    StepOutcome outcome();

    /**
     * The effect is recorded and the result event written.
     *
     * @param detail the step's detail for the signup's status, null for none
     * @param downstreamMillis how long the downstream call took
     */
    record Done(String detail, long downstreamMillis) implements Fate {

        @Override
        public StepOutcome outcome() {
            return StepOutcome.DONE;
        }
    }

    /**
     * The event had been processed before, or by another delivery of it in the same moment.
     *
     * @param downstreamMillis the call made before the other delivery won, -1 when none was made
     */
    record Duplicate(long downstreamMillis) implements Fate {

        @Override
        public StepOutcome outcome() {
            return StepOutcome.DUPLICATE;
        }
    }

    /**
     * The work failed; the message goes to the retry tier of its {@code attempts}-th failure.
     *
     * @param attempts failures so far, this one included
     * @param failure what went wrong
     */
    record Retry(int attempts, Throwable failure) implements Fate {

        @Override
        public StepOutcome outcome() {
            return StepOutcome.RETRY;
        }
    }

    /**
     * The downstream (or the worker's own database) is paused or cannot take the record: the message
     * waits in the first retry tier and no attempt is counted.
     *
     * @param why what was paused
     */
    record Deferred(String why) implements Fate {

        @Override
        public StepOutcome outcome() {
            return StepOutcome.DEFERRED;
        }
    }

    /**
     * The message can never be processed: parked in the dead-letter queue, the step marked FAILED.
     *
     * @param reason why, in a few words
     * @param failure the last failure
     * @param attempts failures so far, this one included
     */
    record Parked(String reason, Throwable failure, int attempts) implements Fate {

        @Override
        public StepOutcome outcome() {
            return StepOutcome.PARKED;
        }
    }
}
