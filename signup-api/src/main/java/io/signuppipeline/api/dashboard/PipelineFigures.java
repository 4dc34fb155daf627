package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.pipeline.BrokerFiguresUnavailable;
import io.signuppipeline.api.pipeline.Pipeline;
import io.signuppipeline.api.pipeline.PipelineView;
import io.signuppipeline.api.status.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.stereotype.Component;

/**
 * Reads the worker panels: {@code GET /api/pipeline}'s figures, each worker's breaker, and a
 * processing rate from the change in steps done since the previous reading.
 */
@Component
class PipelineFigures {

    private final Pipeline pipeline;
    private final WorkerEndpoints workers;
    private final long staleAfterNanos;
    private Map<String, Long> processedBefore = Map.of();
    private long readBefore;

    PipelineFigures(Pipeline pipeline, WorkerEndpoints workers, DashboardProperties properties) {
        this.pipeline = pipeline;
        this.workers = workers;
        // A rate over a long gap (nobody watched for a while) would say little about now; a reading
        // itself may take a few seconds while the machine is busy with a burst.
        this.staleAfterNanos = properties.figuresInterval().multipliedBy(10).toNanos();
    }

    synchronized FiguresPanel now() {
        long now = System.nanoTime();
        Map<String, Future<String>> breakers = new HashMap<>();
        List<Step> steps = pipeline.steps();
        PipelineView view;
        try (ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Side by side: a worker busy with a burst may take most of the timeout to answer.
            steps.forEach(step -> breakers.put(step.service(), reads.submit(() -> workers.breaker(step))));
            view = pipeline.now();
        } catch (BrokerFiguresUnavailable e) {
            processedBefore = Map.of();
            return new FiguresPanel(e.getMessage(), steps.stream()
                    .map(step -> new FiguresPanel.WorkerPanel(step.service(), step.name(), null, null,
                            breakers.get(step.service()).resultNow()))
                    .toList(), null);
        }
        double seconds = (now - readBefore) / 1e9;
        boolean fresh = now - readBefore < staleAfterNanos;
        Map<String, Long> processed = new HashMap<>();
        List<FiguresPanel.WorkerPanel> panels = steps.stream()
                .filter(step -> view.workers().containsKey(step.service()))
                .map(step -> {
                    PipelineView.WorkerQueue queue = view.workers().get(step.service());
                    processed.put(step.service(), queue.processed());
                    Long before = processedBefore.get(step.service());
                    Double perSecond = fresh && before != null && seconds > 0
                            ? Math.max(0, queue.processed() - before) / seconds : null;
                    return new FiguresPanel.WorkerPanel(step.service(), step.name(), queue, perSecond,
                            breakers.get(step.service()).resultNow());
                }).toList();
        processedBefore = processed;
        readBefore = now;
        return new FiguresPanel(null, panels, view.outbox());
    }
}
