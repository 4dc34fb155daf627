package io.signuppipeline.api.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The worker queues in {@code /actuator/prometheus}: {@code pipeline_queue_ready},
 * {@code _unacknowledged}, {@code _consumers}, {@code _retrying} and {@code _parked}, tagged with the
 * worker's queue, for every step the workers have announced; a step announced later gets its gauges
 * as soon as this instance reads it. Scrapes read one snapshot of the broker's figures, refreshed at most every few
 * seconds, so a scrape costs the management API one call, not one per gauge; while the management
 * API does not answer the gauges read NaN, as Prometheus expects of a value that is not known.
 */
@Component
class PipelineMetrics implements MeterBinder {

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final BrokerQueues broker;
    private final KnownSteps known;
    private final Set<String> measured = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private Map<String, QueueFigures> snapshot;
    private long takenAt;

    PipelineMetrics(BrokerQueues broker, KnownSteps known) {
        this.broker = broker;
        this.known = known;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        measureNewSteps();
    }

    @EventListener
    void on(KnownSteps.StepsChanged changed) {
        measureNewSteps();
    }

    /** Gauges for each known step that has none yet; nothing while the steps cannot be read. */
    private void measureNewSteps() {
        MeterRegistry registry = this.registry;
        if (registry == null) {
            return;
        }
        List<Step> steps;
        try {
            steps = known.all();
        } catch (RuntimeException unavailable) {
            return;
        }
        for (Step worker : steps) {
            if (!measured.add(worker.queue())) {
                continue;
            }
            gauge(registry, "pipeline.queue.ready", "Messages waiting for the worker", worker,
                    PipelineView.WorkerQueue::ready);
            gauge(registry, "pipeline.queue.unacknowledged", "Messages the worker is handling", worker,
                    PipelineView.WorkerQueue::unacknowledged);
            gauge(registry, "pipeline.queue.consumers", "The worker's consumers; zero means nobody works the queue",
                    worker, PipelineView.WorkerQueue::consumers);
            gauge(registry, "pipeline.queue.retrying", "Messages waiting in the worker's retry tiers", worker,
                    PipelineView.WorkerQueue::retrying);
            gauge(registry, "pipeline.queue.parked", "Messages parked in the worker's dead-letter queue", worker,
                    PipelineView.WorkerQueue::deadLettered);
        }
    }

    /** A gauge over one figure of the worker's queues, as {@code GET /api/pipeline} computes them. */
    private void gauge(MeterRegistry registry, String name, String description, Step worker,
            ToDoubleFunction<PipelineView.WorkerQueue> figure) {
        Gauge.builder(name, this, metrics -> {
            Map<String, QueueFigures> queues = metrics.queues();
            return queues == null ? Double.NaN
                    : figure.applyAsDouble(Pipeline.of(worker, queues, StepCounts.Count.NONE));
        }).description(description).tag("queue", worker.queue()).register(registry);
    }

    private synchronized Map<String, QueueFigures> queues() {
        if (snapshot == null || System.nanoTime() - takenAt > FRESH_FOR.toNanos()) {
            takenAt = System.nanoTime();
            try {
                snapshot = broker.byName();
            } catch (RuntimeException unavailable) {
                snapshot = null;
            }
        }
        return snapshot;
    }
}
