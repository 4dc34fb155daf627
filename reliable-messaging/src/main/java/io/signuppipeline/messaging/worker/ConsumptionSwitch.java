package io.signuppipeline.messaging.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Stops a worker's listener container when its {@link DownstreamBreaker} opens, probes with one
 * message taken from the queue by hand when the breaker half-opens, and starts the container again
 * when it closes.
 *
 * <p>All of it happens on a thread of its own, never on a listener thread: stopping a container waits
 * for its listener threads to finish.
 */
final class ConsumptionSwitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumptionSwitch.class);

    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final ExecutorService control = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("breaker-control").factory());
    private volatile AbstractMessageListenerContainer container;
    private volatile BooleanSupplier probe;

    ConsumptionSwitch(CircuitBreaker breaker, Duration openFor) {
        this.breaker = breaker;
        this.openFor = openFor;
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> control.execute(this::pause);
                case HALF_OPEN -> control.execute(this::probe);
                case CLOSED -> control.execute(this::resume);
                default -> { }
            }
        });
    }

    /** See {@link DownstreamBreaker#control}. */
    void control(AbstractMessageListenerContainer container, BooleanSupplier probe) {
        this.container = container;
        this.probe = probe;
    }

    boolean consuming() {
        AbstractMessageListenerContainer switched = container;
        return switched != null && switched.isRunning();
    }

    private void pause() {
        if (consuming()) {
            log.warn("{} failing ({}% of the last calls): consumption PAUSED; messages wait in the queue; "
                    + "probing again in {} s", breaker.getName(), Math.round(breaker.getMetrics().getFailureRate()),
                    openFor.toMillis() / 1000.0);
            container.stop();
        }
    }

    private void probe() {
        log.info("{} probing with one message", breaker.getName());
        while (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            try {
                if (!probe.getAsBoolean()) {
                    // Nothing queued to probe with: consume again and let the next message be the probe.
                    resume();
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("{} probe could not take a message: {}; trying again after the cool-down", breaker.getName(),
                        e.toString());
                breaker.transitionToOpenState();
                return;
            }
        }
    }

    private void resume() {
        if (container != null && !container.isRunning()) {
            log.info("{} working again ({}): consumption RESUMED", breaker.getName(), breaker.getState());
            container.start();
        }
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
