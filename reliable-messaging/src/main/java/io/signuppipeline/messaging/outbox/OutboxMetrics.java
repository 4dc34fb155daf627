package io.signuppipeline.messaging.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.signuppipeline.messaging.outbox.PublishOutcome.Result;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay's meters: publish outcomes, confirm latency and the age of the oldest waiting event.
 */
class OutboxMetrics {

    private final Map<Result, Counter> outcomes = new EnumMap<>(Result.class);
    private final Timer confirmLatency;

    OutboxMetrics(MeterRegistry registry, OutboxRepository repository) {
        for (Result result : Result.values()) {
            outcomes.put(result, Counter.builder("outbox.publish")
                    .description("Outbox publish attempts by the broker's answer")
                    .tag("outcome", result.name().toLowerCase())
                    .register(registry));
        }
        confirmLatency = Timer.builder("outbox.publish.confirm")
                .description("From send to positive publisher confirm")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("outbox.oldest.pending.age", repository,
                        r -> r.oldestPendingAge().map(Duration::toMillis).orElse(0L) / 1000.0)
                .description("Seconds the oldest unpublished event has waited; 0 when none waits")
                .baseUnit("seconds")
                .register(registry);
    }

    void record(PublishOutcome outcome) {
        outcomes.get(outcome.result()).increment();
        if (outcome.confirmed()) {
            confirmLatency.record(outcome.elapsedMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
