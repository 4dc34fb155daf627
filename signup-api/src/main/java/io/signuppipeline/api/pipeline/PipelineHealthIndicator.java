package io.signuppipeline.api.pipeline;

import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code pipeline} health: DOWN once the work queue of a step that new signups wait for has had
 * no consumer for longer than {@code signup.pipeline.consumer-absence-limit}, naming each such queue
 * and for how long.
 *
 * <p>Signups still succeed without a worker, their events wait in its queue, so this is for the
 * people watching, not for an orchestrator: it is kept out of the liveness and readiness groups,
 * because restarting the API or taking it out of service brings no worker back. The broker only says
 * how many consumers a queue has now, so the first time a queue is seen without one is remembered,
 * and each health call looks again. A queue the broker does not have counts as having no consumer. A
 * step retired by hand ({@code scripts/steps.sh retire}) is no longer looked at.
 * When the management API cannot be asked, the status is UNKNOWN: that says nothing about the workers.
 */
@Component
class PipelineHealthIndicator implements HealthIndicator {

    private final BrokerQueues broker;
    private final KnownSteps known;
    private final Duration limit;
    private final Map<String, Instant> withoutConsumerSince = new ConcurrentHashMap<>();

    PipelineHealthIndicator(BrokerQueues broker, KnownSteps known, PipelineProperties properties) {
        this.broker = broker;
        this.known = known;
        this.limit = properties.consumerAbsenceLimit();
    }

    @Override
    public Health health() {
        Map<String, QueueFigures> queues;
        List<Step> steps;
        try {
            queues = broker.byName();
            steps = known.active();
        } catch (BrokerFiguresUnavailable e) {
            return Health.unknown().withDetail("error", e.getMessage()).build();
        } catch (RuntimeException e) {
            return Health.unknown().withDetail("error", "the known steps cannot be read: " + e.getMessage()).build();
        }
        Instant now = Instant.now();
        Map<String, String> withoutConsumer = new LinkedHashMap<>();
        boolean tooLong = false;
        for (Step step : steps) {
            QueueFigures queue = queues.get(step.queue());
            if (queue != null && queue.consumers() > 0) {
                withoutConsumerSince.remove(step.queue());
                continue;
            }
            Duration absent = Duration.between(withoutConsumerSince.computeIfAbsent(step.queue(), name -> now), now);
            withoutConsumer.put(step.queue(), absent.truncatedTo(ChronoUnit.MILLIS).toString());
            tooLong |= absent.compareTo(limit) > 0;
        }
        return (tooLong ? Health.down() : Health.up())
                .withDetail("consumerAbsenceLimit", limit.toString())
                .withDetail("queuesWithoutConsumer", withoutConsumer)
                .build();
    }
}
