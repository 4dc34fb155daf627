package io.signuppipeline.messaging.outbox;

/**
 * What became of one publish attempt.
 *
 * @param message the row that was published
 * @param result how the broker answered
 * @param reason why it failed, for logs and the row's {@code last_error}; null when confirmed
 * @param elapsedMillis from send to the broker's answer (or to giving up)
 * @param eventsInMessage how many events the message that carried this row carried: more than one
 *        when the relay packs them
 */
record PublishOutcome(PendingMessage message, Result result, String reason, long elapsedMillis,
        int eventsInMessage) {

    /** The outcome of a row sent as a message of its own. */
    PublishOutcome(PendingMessage message, Result result, String reason, long elapsedMillis) {
        this(message, result, reason, elapsedMillis, 1);
    }

    /** The same answer, for a row that went out packed with others. */
    PublishOutcome forRow(PendingMessage row, int events) {
        return new PublishOutcome(row, result, reason, elapsedMillis, events);
    }

    /** The broker's answer, from the only good one to the failures. */
    enum Result {
        /** Positive confirm and no return: the broker has routed the message to at least one queue. */
        CONFIRMED,
        /** The broker could not route it anywhere: no queue is bound for its routing key. */
        RETURNED,
        /** The broker refused responsibility for it. */
        NACKED,
        /** No confirm arrived in time. */
        TIMED_OUT,
        /** It could not even be sent, typically because the broker is unreachable. */
        NOT_SENT
    }

    boolean confirmed() {
        return result == Result.CONFIRMED;
    }
}
