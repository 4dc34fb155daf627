package io.signuppipeline.messaging.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a worker paces itself and protects its downstream. Concurrency and prefetch are Spring Boot's
 * {@code spring.rabbitmq.listener.simple.*}.
 *
 * @param maxRate the most downstream calls per second, 0 for no limit: a burst waits in the queue
 *        and drains at this rate instead of hitting the downstream all at once
 * @param breaker when to stop consuming because the downstream keeps failing
 * @param shutdownTimeout how long stopping waits for the messages in flight before it returns them
 *        to the queue
 * @param recordPatience how long a batch whose downstream calls have been made keeps trying to record
 *        them while the worker's database is away, before its messages go to a retry tier and their
 *        calls are made again
 * @param claimLease how long a delivery's claim on its event holds (taken before the downstream call,
 *        let go once the effect is recorded): another delivery of the event meanwhile waits in the
 *        first retry tier. A claim that outlives its lease marks the next attempt's step ambiguous:
 *        the earlier attempt may have made its call. Longer than a batch's calls and recordPatience
 * @param admin who may use the admin endpoints (the dead-letter replay)
 * @param url the worker's own HTTP address as others reach it, announced with its step (e.g.
 *        {@code http://email-worker:8081} in compose); blank for {@code http://127.0.0.1:<its port>}
 * @param announceEvery how often the worker announces its step again, so that a signup API started
 *        later, or given a fresh database, learns it too
 */
@ConfigurationProperties("messaging.worker")
public record WorkerProperties(
        @DefaultValue("0") double maxRate,
        @DefaultValue Breaker breaker,
        @DefaultValue("20s") Duration shutdownTimeout,
        @DefaultValue("15s") Duration recordPatience,
        @DefaultValue("60s") Duration claimLease,
        @DefaultValue Admin admin,
        @DefaultValue("") String url,
        @DefaultValue("30s") Duration announceEvery) {

    /**
     * The credential for {@code /admin/**}, over HTTP Basic. With no password the admin endpoints
     * refuse everyone: there is no default credential.
     *
     * @param username the operator's user name
     * @param password from the environment ({@code WORKER_ADMIN_PASSWORD}); blank disables the endpoints
     */
    public record Admin(@DefaultValue("admin") String username, @DefaultValue("") String password) {

        @Override
        public String toString() {
            return "Admin[username=" + username + ", password=" + (password.isBlank() ? "(none)" : "(set)") + "]";
        }
    }

    /**
     * The circuit breaker around the downstream call. When it opens, the worker stops consuming; the
     * messages wait in its queue, where they cost no retry attempt.
     *
     * @param failureRateThreshold the percentage of failed calls that opens it
     * @param slidingWindow how many of the latest calls the rate is taken over
     * @param minimumCalls calls needed before the rate counts
     * @param openFor the cool-down before one message probes the downstream again
     */
    public record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration openFor) {
    }
}
