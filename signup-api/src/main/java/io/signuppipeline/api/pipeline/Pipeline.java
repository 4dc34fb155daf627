package io.signuppipeline.api.pipeline;

import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Puts the pipeline's figures together for each step the workers have announced: the broker's for
 * the queues, the API's tables for results and backlog.
 */
@Service
public class Pipeline {

    private final BrokerQueues broker;
    private final StepCounts steps;
    private final OutboxBacklog outbox;
    private final KnownSteps known;

    Pipeline(BrokerQueues broker, StepCounts steps, OutboxBacklog outbox, KnownSteps known) {
        this.broker = broker;
        this.steps = steps;
        this.outbox = outbox;
        this.known = known;
    }

    /** The steps new signups wait for, each with the worker that announced it. */
    public List<Step> steps() {
        return known.active();
    }

    /**
     * The figures now.
     *
     * @throws BrokerFiguresUnavailable when the broker's management API does not answer
     */
    public PipelineView now() {
        Map<String, QueueFigures> queues = broker.byName();
        Map<String, StepCounts.Count> counts = steps.byStep();
        Map<String, PipelineView.WorkerQueue> workers = new LinkedHashMap<>();
        for (Step step : known.active()) {
            workers.put(step.service(), of(step, queues, counts.getOrDefault(step.name(), StepCounts.Count.NONE)));
        }
        return new PipelineView(workers, outbox.now());
    }

    /** One worker's figures from the broker's queues, and its results as the API has counted them. */
    static PipelineView.WorkerQueue of(Step step, Map<String, QueueFigures> queues, StepCounts.Count count) {
        QueueFigures work = figures(queues, step.queue());
        long retrying = queues.values().stream()
                .filter(queue -> step.isRetryQueue(queue.name()))
                .mapToLong(QueueFigures::messages)
                .sum();
        return new PipelineView.WorkerQueue(step.name(), step.queue(), queues.containsKey(step.queue()), work.ready(),
                work.unacknowledged(), work.consumers(), retrying,
                figures(queues, step.deadLetterQueue()).messages(), count.processed(), count.failed());
    }

    private static QueueFigures figures(Map<String, QueueFigures> queues, String name) {
        return queues.getOrDefault(name, QueueFigures.absent(name));
    }
}
