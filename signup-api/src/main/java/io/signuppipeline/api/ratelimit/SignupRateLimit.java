package io.signuppipeline.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets each client send {@code capacity} signups in a burst and regain them over
 * {@code refill-period}: one token bucket (Bucket4j) per client address, in a bounded in-memory map
 * (Caffeine).
 *
 * <p>The client is {@link HttpServletRequest#getRemoteAddr()}, the address the event carries to the workers
 * too: the TCP peer, unless {@code server.forward-headers-strategy=native} says the API is behind a
 * proxy, and then the address that proxy put in {@code X-Forwarded-For}, trusted only when the peer
 * is one of {@code server.tomcat.remoteip.internal-proxies} (Tomcat's {@code RemoteIpValve}).
 * Every POST that reaches the endpoint counts, refused ones too: a flood of invalid requests is
 * what the limit is for.
 *
 * <p>A bucket untouched for a whole refill period is full again, so forgetting it then loses
 * nothing. Past {@code max-clients} buckets the least recently used are dropped early, which gives
 * those clients a fresh allowance: bounded memory under a flood from many addresses matters more.
 * Each API instance counts on its own.
 */
class SignupRateLimit implements HandlerInterceptor {

    private final RateLimitProperties limits;
    private final Cache<String, Bucket> buckets;

    SignupRateLimit(RateLimitProperties limits) {
        this.limits = limits;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(limits.maxClients())
                .expireAfterAccess(limits.refillPeriod())
                .build();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (HttpMethod.POST.matches(request.getMethod())) {
            admit(request.getRemoteAddr());
        }
        return true;
    }

    private void admit(String client) {
        ConsumptionProbe probe = buckets.get(client, key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.ceilDiv(probe.getNanosToWaitForRefill(), TimeUnit.SECONDS.toNanos(1));
            throw new TooManySignups(Math.max(1, seconds));
        }
    }

    private Bucket newBucket() {
        long capacity = limits.capacity();
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, limits.refillPeriod()))
                .build();
    }
}
