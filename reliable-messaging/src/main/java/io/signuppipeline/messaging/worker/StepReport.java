package io.signuppipeline.messaging.worker;

import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells what became of each delivery: one log line in its signup's trace, the metrics, and the end
 * of its span.
 */
class StepReport {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);

    private final String step;
    private final StepMetrics metrics;
    private final Redelivery redelivery;

    StepReport(String step, StepMetrics metrics, Redelivery redelivery) {
        this.step = step;
        this.metrics = metrics;
        this.redelivery = redelivery;
    }

    /** The delivery's fate is final: the batch has been acknowledged. */
    void settled(Delivery delivery, long millis) {
        metrics.outcome(delivery.fate().outcome(), millis);
        if (delivery.event() != null && delivery.earlierClaim() != null) {
            metrics.ambiguous();
        }
        try (Observation.Scope scope = delivery.observation().openScope()) {
            log(delivery, millis);
        } finally {
            delivery.observation().stop();
        }
    }

    /** The batch went back to the queue instead: the broker did not take a copy. */
    void returned(Delivery delivery, RuntimeException brokerTrouble) {
        delivery.observation().error(brokerTrouble);
        delivery.observation().stop();
    }

    private void log(Delivery delivery, long millis) {
        if (delivery.event() == null) {
            log.error("{} PARKED messageId={} after {} ms: malformed or not user.signed_up: {}", step,
                    delivery.messageId(), millis, Failures.describe(delivery.unreadable()));
            return;
        }
        switch (delivery.fate()) {
            case Fate.Done done -> log.info("{} DONE signupId={} eventId={} in {} ms (downstream {} ms){}{}", step,
                    delivery.signupId(), delivery.eventId(), millis, done.downstreamMillis(),
                    done.detail() == null || done.detail().isEmpty() ? "" : " " + done.detail(),
                    delivery.earlierClaim() == null ? "" : ", ambiguous: an earlier attempt may have done it too");
            case Fate.Duplicate duplicate -> log.info("{} DUPLICATE signupId={} eventId={} in {} ms, {}", step,
                    delivery.signupId(), delivery.eventId(), millis, duplicate.downstreamMillis() < 0
                            ? "already processed: skipped" : "processed concurrently: not recorded");
            case Fate.Retry retry -> log.warn("{} RETRY signupId={} eventId={} attempt {}/{} failed after {} ms: {}; "
                    + "next attempt in {} s", step, delivery.signupId(), delivery.eventId(), retry.attempts(),
                    redelivery.maxAttempts(), millis, Failures.describe(retry.failure()),
                    redelivery.delayAfter(retry.attempts()).toMillis() / 1000.0);
            case Fate.Deferred deferred -> log.info("{} DEFERRED signupId={} eventId={}: {}, no attempt counted", step,
                    delivery.signupId(), delivery.eventId(), deferred.why());
            case Fate.Parked parked -> log.error("{} PARKED signupId={} eventId={} after {} attempts in {} ms: {}: {}",
                    step, delivery.signupId(), delivery.eventId(), parked.attempts(), millis, parked.reason(),
                    Failures.describe(parked.failure()));
        }
    }
}
