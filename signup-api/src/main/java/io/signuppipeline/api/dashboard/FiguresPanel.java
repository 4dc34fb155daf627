package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.pipeline.PipelineView;
import java.util.List;

/**
 * The worker panels of the dashboard, sent on the event stream every few seconds.
 *
 * @param problem why there are no queue figures (the broker's management API did not answer), or null
 * @param workers a panel for each step new signups wait for, in the order the steps became known
 * @param outbox the API's events not yet published; null without figures
 */
record FiguresPanel(String problem, List<WorkerPanel> workers, PipelineView.Outbox outbox) {

    /**
     * One worker.
     *
     * @param worker its service name
     * @param step the step it does
     * @param queue its queues as {@code GET /api/pipeline} shows them; null without figures
     * @param perSecond steps done per second since the previous figures; null for the first figures
     * @param breaker its circuit breaker: CLOSED, OPEN, HALF_OPEN or unknown
     */
    record WorkerPanel(String worker, String step, PipelineView.WorkerQueue queue, Double perSecond,
            String breaker) {
    }
}
