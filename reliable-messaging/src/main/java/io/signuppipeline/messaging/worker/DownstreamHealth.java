package io.signuppipeline.messaging.worker;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The downstream's circuit breaker in {@code /actuator/health}: CLOSED and consuming, or OPEN and
 * paused. It stays UP while paused: the worker is healthy and waiting, and restarting it would
 * not bring the downstream back.
 */
class DownstreamHealth implements HealthIndicator {

    private final DownstreamBreaker breaker;

    DownstreamHealth(DownstreamBreaker breaker) {
        this.breaker = breaker;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("breaker", breaker.state().name())
                .withDetail("consuming", breaker.consuming())
                .withDetail("failureRate", breaker.failureRate())
                .build();
    }
}
