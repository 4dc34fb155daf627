package io.signuppipeline.messaging.worker;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * A circuit breaker around a worker's work (its downstream call and its own database) that pauses
 * the worker's consumption while it is open.
 *
 * <p>Without it, an outage of the downstream would send every message through the retry tiers until
 * the last one parked it. With it, the first failures open the breaker, the listener container
 * stops, and the messages wait in the queue, costing no attempt. After the cool-down one message
 * probes the downstream, taken from the queue by hand; if it succeeds the container starts again,
 * if it fails the breaker stays open for another cool-down ({@link ConsumptionSwitch}). A failed
 * probe is not counted against the message, so an outage of any length parks nothing.
 */
class DownstreamBreaker implements AutoCloseable {

    private final CircuitBreaker breaker;
    private final ConsumptionSwitch consumption;

    DownstreamBreaker(String step, WorkerProperties.Breaker settings) {
        this.breaker = CircuitBreaker.of(step, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindow())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(failure -> !Failures.isPermanent(failure))
                .build());
        this.consumption = new ConsumptionSwitch(breaker, settings.openFor());
    }

    /**
     * Lets the breaker pause and resume this container, probing with {@code probe}: it handles one
     * message from the queue, and answers false when the queue was empty.
     */
    void control(AbstractMessageListenerContainer container, BooleanSupplier probe) {
        consumption.control(container, probe);
    }

    /**
     * Runs the work through the breaker.
     *
     * @throws CallNotPermittedException when the breaker is open or already probing
     * @throws ProbeFailed when the call failed while the breaker was probing
     */
    <R> R call(DownstreamCall<R> call) throws Exception {
        boolean probing = breaker.getState() != CircuitBreaker.State.CLOSED;
        breaker.acquirePermission();
        long started = System.nanoTime();
        try {
            R result = call.run();
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (Exception failure) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failure);
            throw probing && !Failures.isPermanent(failure) ? new ProbeFailed(failure) : failure;
        }
    }

    /**
     * Work that a batch shares, such as its inbox look-up or its transaction, failed: counts as a
     * failure of each of its {@code calls} calls, so that an outage of the worker's own database
     * pauses the worker as a downstream outage does. Answers how the failure counts for each
     * message: as a failed probe while the breaker is probing, which costs the message no attempt.
     */
    Exception failedForAll(int calls, Exception failure) {
        boolean probing = breaker.getState() != CircuitBreaker.State.CLOSED;
        for (int i = 0; i < calls; i++) {
            breaker.onError(0, TimeUnit.NANOSECONDS, failure);
        }
        return probing && !Failures.isPermanent(failure) ? new ProbeFailed(failure) : failure;
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    boolean consuming() {
        return consumption.consuming();
    }

    @Override
    public void close() {
        consumption.close();
    }

    /** The work, as the breaker runs it. */
    @FunctionalInterface
    interface DownstreamCall<R> {
        R run() throws Exception;
    }

    /** The call failed while the breaker was probing: not the message's fault, so it costs no attempt. */
    static final class ProbeFailed extends Exception {

        ProbeFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
