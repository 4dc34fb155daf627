package io.signuppipeline.api.pipeline;

import java.util.Map;

/**
 * What {@code GET /api/pipeline} answers: where the signups are between the API and the workers.
 *
 * @param workers each worker that has announced a step new signups wait for, by its service name, in
 *        the order the steps became known
 * @param outbox the API's events that have not reached the broker yet
 */
public record PipelineView(Map<String, WorkerQueue> workers, Outbox outbox) {

    /**
     * One worker: its queues as the broker counts them, and its results as the API has recorded them.
     *
     * @param step the step the worker does
     * @param queue the work queue
     * @param declared whether the broker has the work queue; a worker that never started has none,
     *        and every figure of its queues is then zero
     * @param ready messages waiting for the worker
     * @param unacknowledged messages the worker is handling now
     * @param consumers the worker's subscribed consumers; zero means nobody is working the queue
     * @param retrying messages waiting in the retry tiers, summed over all of them
     * @param deadLettered messages parked in the dead-letter queue for a person to look at
     * @param processed signups whose step is DONE
     * @param failed signups whose step is FAILED
     */
    public record WorkerQueue(String step, String queue, boolean declared, long ready, long unacknowledged, int consumers,
            long retrying, long deadLettered, long processed, long failed) {
    }

    /**
     * The outbox backlog.
     *
     * @param unpublished events written but not yet confirmed by the broker
     * @param oldestUnpublishedAgeSeconds how long the oldest of them has waited; null when none waits
     */
    public record Outbox(long unpublished, Double oldestUnpublishedAgeSeconds) {
    }
}
