package io.signuppipeline.messaging.worker;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * The downstream calls of a batch, side by side, each on a virtual thread of its own, in its
 * signup's trace, through the circuit breaker and within the step's rate limit. A batch of one
 * calls on the listener's own thread. An event that lacks what every step needs
 * ({@link io.signuppipeline.events.UserSignedUp#defect()}) is not called for: it fails permanently.
 */
class StepCalls implements AutoCloseable {

    private final SignupStep<?> step;
    private final DownstreamBreaker breaker;
    private final RateLimiter rateLimiter;
    private final StepMetrics metrics;
    private final Redelivery redelivery;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("downstream-", 0).factory());

    StepCalls(SignupStep<?> step, DownstreamBreaker breaker, RateLimiter rateLimiter, StepMetrics metrics,
            Redelivery redelivery) {
        this.step = step;
        this.breaker = breaker;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.redelivery = redelivery;
    }

    /** Calls the downstream for each delivery; each ends called, or with the fate of its failure. */
    void call(List<Delivery> deliveries) {
        if (deliveries.size() == 1) {
            call(deliveries.getFirst());
            return;
        }
        List<Future<?>> calls = new ArrayList<>(deliveries.size());
        for (Delivery delivery : deliveries) {
            calls.add(threads.submit(() -> call(delivery)));
        }
        for (Future<?> call : calls) {
            try {
                call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the downstream calls ran", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("A downstream call escaped its handling", e.getCause());
            }
        }
    }

    private void call(Delivery delivery) {
        try (Observation.Scope scope = delivery.observation().openScope();
                var signup = MDC.putCloseable("signupId", delivery.signupId().toString());
                var event = MDC.putCloseable("eventId", delivery.eventId().toString())) {
            String defect = delivery.event().data().defect();
            if (defect != null) {
                // From elsewhere than the API: no downstream call, and no retry, could make it good.
                throw new PermanentFailure("the event has " + defect, null);
            }
            if (rateLimiter != null) {
                RateLimiter.waitForPermission(rateLimiter);
            }
            long started = System.nanoTime();
            Object result = breaker.call(() -> step.on(delivery.event()));
            long millis = (System.nanoTime() - started) / 1_000_000;
            metrics.downstream(millis);
            delivery.called(result, millis);
        } catch (Exception failure) {
            delivery.decide(redelivery.after(delivery.message(), failure));
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
