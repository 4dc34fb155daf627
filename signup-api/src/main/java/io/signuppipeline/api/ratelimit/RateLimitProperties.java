package io.signuppipeline.api.ratelimit;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-client limit on {@code POST /api/signups}.
 *
 * <p>On by default. Behind a proxy, declare it trusted ({@code server.forward-headers-strategy=native}
 * and {@code server.tomcat.remoteip.internal-proxies}), or every client has the proxy's address and
 * all share one allowance. Load tests that send thousands of signups a second from one address turn
 * it off ({@code SIGNUP_API_RATELIMIT_ENABLED=false}).
 *
 * @param enabled whether signups are limited per client; read by {@link RateLimitConfiguration}'s condition
 * @param capacity how many signups a client may send in a burst
 * @param refillPeriod how long an exhausted client takes to regain its whole capacity; it regains
 *        one signup every {@code refillPeriod / capacity}
 * @param maxClients how many clients' allowances are kept in memory; past that the least recently
 *        seen are forgotten, which gives them a full allowance again
 */
@ConfigurationProperties("signup.api.rate-limit")
@Validated
record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") @Positive long capacity,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration refillPeriod,
        @DefaultValue("100000") @Positive long maxClients) {
}
