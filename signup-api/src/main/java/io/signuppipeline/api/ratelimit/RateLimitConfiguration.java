package io.signuppipeline.api.ratelimit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts the per-client limit in front of {@code POST /api/signups} when
 * {@code signup.api.rate-limit.enabled} is true. An interceptor rather than a servlet filter, so that
 * a refusal is an exception the API's exception handler answers like every other problem.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "signup.api.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration implements WebMvcConfigurer {

    private final RateLimitProperties limits;

    RateLimitConfiguration(RateLimitProperties limits) {
        this.limits = limits;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SignupRateLimit(limits)).addPathPatterns("/api/signups");
    }
}
