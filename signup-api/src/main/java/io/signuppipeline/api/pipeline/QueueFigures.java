package io.signuppipeline.api.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One queue as the management API lists it. The broker leaves out the message counts of a queue it
 * has not collected statistics for yet, so they read as zero.
 *
 * @param name the queue name
 * @param messages ready and unacknowledged messages together: the queue's depth
 * @param ready messages waiting for a consumer
 * @param unacknowledged messages delivered to a consumer and not yet acknowledged
 * @param consumers how many consumers are subscribed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record QueueFigures(
        String name,
        Long messages,
        @JsonProperty("messages_ready") Long ready,
        @JsonProperty("messages_unacknowledged") Long unacknowledged,
        Integer consumers) {

    /** The columns to ask the management API for, so it sends nothing else. */
    static final String COLUMNS = "name,messages,messages_ready,messages_unacknowledged,consumers";

    /** A queue the broker does not have. */
    static QueueFigures absent(String name) {
        return new QueueFigures(name, 0L, 0L, 0L, 0);
    }

    QueueFigures {
        messages = orZero(messages);
        ready = orZero(ready);
        unacknowledged = orZero(unacknowledged);
        consumers = consumers == null ? 0 : consumers;
    }

    private static Long orZero(Long count) {
        return count == null ? 0L : count;
    }
}
