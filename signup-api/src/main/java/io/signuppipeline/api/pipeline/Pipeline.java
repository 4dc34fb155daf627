package io.signuppipeline.api.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Puts the pipeline's figures together: the broker's for the queues, the API's tables for results
 * and backlog.
 */
@Service
public class Pipeline {

    private final BrokerQueues broker;
    private final StepCounts steps;
    private final OutboxBacklog outbox;

    Pipeline(BrokerQueues broker, StepCounts steps, OutboxBacklog outbox) {
        this.broker = broker;
        this.steps = steps;
        this.outbox = outbox;
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
        for (Worker worker : Worker.ALL) {
            workers.put(worker.service(), of(worker, queues,
                    counts.getOrDefault(worker.step(), StepCounts.Count.NONE)));
        }
        return new PipelineView(workers, outbox.now());
    }

    /** One worker's figures from the broker's queues, and its results as the API has counted them. */
    static PipelineView.WorkerQueue of(Worker worker, Map<String, QueueFigures> queues, StepCounts.Count count) {
        QueueFigures work = figures(queues, worker.queue());
        long retrying = queues.values().stream()
                .filter(queue -> worker.isRetryQueue(queue.name()))
                .mapToLong(QueueFigures::messages)
                .sum();
        return new PipelineView.WorkerQueue(worker.queue(), queues.containsKey(worker.queue()), work.ready(),
                work.unacknowledged(), work.consumers(), retrying,
                figures(queues, worker.deadLetterQueue()).messages(), count.processed(), count.failed());
    }

    private static QueueFigures figures(Map<String, QueueFigures> queues, String name) {
        return queues.getOrDefault(name, QueueFigures.absent(name));
    }
}
