package io.signuppipeline.messaging.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker's meters: events by outcome, processing time, downstream call time, and the events whose
 * effect may have happened twice.
 */
class StepMetrics {

    private final Map<StepOutcome, Counter> outcomes = new EnumMap<>(StepOutcome.class);
    private final Timer processing;
    private final Timer downstream;
    private final Counter ambiguous;

    StepMetrics(MeterRegistry registry, String step) {
        for (StepOutcome outcome : StepOutcome.values()) {
            outcomes.put(outcome, Counter.builder("worker.events")
                    .description("Events handled, by outcome")
                    .tag("step", step)
                    .tag("outcome", outcome.label())
                    .register(registry));
        }
        this.processing = Timer.builder("worker.processing")
                .description("From delivery to ack, per processed event")
                .tag("step", step)
                .publishPercentileHistogram()
                .register(registry);
        this.downstream = Timer.builder("worker.downstream")
                .description("The downstream call of one event")
                .tag("step", step)
                .publishPercentileHistogram()
                .register(registry);
        this.ambiguous = Counter.builder("worker.ambiguous")
                .description("Events called again after an attempt that may have made the call died or could not record it")
                .tag("step", step)
                .register(registry);
    }

    void ambiguous() {
        ambiguous.increment();
    }

    void outcome(StepOutcome outcome, long processingMillis) {
        outcomes.get(outcome).increment();
        processing.record(processingMillis, TimeUnit.MILLISECONDS);
    }

    void downstream(long millis) {
        downstream.record(millis, TimeUnit.MILLISECONDS);
    }
}
