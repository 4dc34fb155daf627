package io.signuppipeline.messaging.consumer;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.ListenerContainerConsumerFailedEvent;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;

/**
 * Watches the service's listener containers, so that a service that cannot consume is never alive
 * and idle in silence: one line when a container that should consume has no consumer, with the last
 * failure it reported (such as a refused login), one more for each other failure while it lasts, one
 * line when it consumes again, and a health indicator that is DOWN meanwhile. The containers
 * themselves keep trying, with a backoff.
 *
 * <p>A container stopped on purpose (paused by a worker's breaker, or shutting down) is not watched.
 */
class ConsumptionWatch implements HealthIndicator, ApplicationListener<ListenerContainerConsumerFailedEvent>,
        SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumptionWatch.class);

    private final ObjectProvider<SimpleMessageListenerContainer> containers;
    private final Duration every;
    private final Duration startupGrace;
    private final Map<SimpleMessageListenerContainer, String> lastFailure = new ConcurrentHashMap<>();
    private final Map<SimpleMessageListenerContainer, Watched> states = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService checks;

    /**
     * @param every how often the containers are looked at
     * @param startupGrace how long a container may take to connect before it counts as not consuming
     */
    ConsumptionWatch(ObjectProvider<SimpleMessageListenerContainer> containers, Duration every, Duration startupGrace) {
        this.containers = containers;
        this.every = every;
        this.startupGrace = startupGrace;
    }

    @Override
    public void onApplicationEvent(ListenerContainerConsumerFailedEvent event) {
        if (event.getSource() instanceof SimpleMessageListenerContainer container) {
            Throwable cause = event.getThrowable() == null ? null
                    : NestedExceptionUtils.getMostSpecificCause(event.getThrowable());
            lastFailure.put(container, cause == null ? String.valueOf(event.getReason()) : cause.toString());
        }
    }

    @Override
    public Health health() {
        List<String> idle = containers.stream().filter(this::shouldConsume)
                .filter(container -> container.getActiveConsumerCount() == 0)
                .map(container -> String.join(",", container.getQueueNames())).toList();
        return idle.isEmpty() ? Health.up().build() : Health.down().withDetail("notConsuming", idle).build();
    }

    void check() {
        long now = System.nanoTime();
        containers.forEach(container -> {
            if (!shouldConsume(container)) {
                // Paused or stopping: when it starts again it gets the same grace as at startup.
                states.remove(container);
                return;
            }
            String queues = String.join(",", container.getQueueNames());
            Watched before = states.computeIfAbsent(container, started -> new Watched(State.STARTING, now, Set.of()));
            int consumers = container.getActiveConsumerCount();
            String failure = lastFailure.getOrDefault(container, "none reported");
            if (consumers > 0) {
                if (before.state() == State.STOPPED) {
                    log.info("Consumption RESUMED on {} with {} consumer(s)", queues, consumers);
                }
                states.put(container, new Watched(State.CONSUMING, now, Set.of()));
                lastFailure.remove(container);
            } else if (before.state() == State.CONSUMING
                    || before.state() == State.STARTING && now - before.since() > startupGrace.toNanos()) {
                log.warn("Consumption STOPPED on {}: no consumer; last failure: {}; trying again with a backoff "
                        + "until it can consume", queues, failure);
                states.put(container, new Watched(State.STOPPED, now, Set.of(failure)));
            } else if (before.state() == State.STOPPED && !before.failures().contains(failure)) {
                log.warn("Consumption still STOPPED on {}: now {}", queues, failure);
                Set<String> failures = new HashSet<>(before.failures());
                failures.add(failure);
                states.put(container, new Watched(State.STOPPED, before.since(), Set.copyOf(failures)));
            }
        });
    }

    private enum State {
        STARTING, CONSUMING, STOPPED
    }

    /** Where a container stands, since when, and the failures logged for it while it is stopped. */
    private record Watched(State state, long since, Set<String> failures) {
    }

    /** Running and meant to be: a container the breaker paused, or one that stops, is not running. */
    private boolean shouldConsume(SimpleMessageListenerContainer container) {
        return container.isRunning();
    }

    @Override
    public void start() {
        // From now on this watch says when consumption stops and resumes; the container's line per attempt goes.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.addTurboFilter(new ConsumerFailureLogFilter());
        }
        checks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("consumption-watch")
                .daemon().factory());
        checks.scheduleWithFixedDelay(this::checkQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.debug("Could not look at the listener containers", e);
        }
    }

    @Override
    public void stop() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return checks != null && !checks.isShutdown();
    }
}
