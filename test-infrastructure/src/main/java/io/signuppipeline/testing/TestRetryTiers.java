package io.signuppipeline.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * A worker's retry tiers in its tests: {@value #DELAYS}, short enough for a test to watch a message
 * retried and parked. Every test class of a worker module takes these same ones: the classes share
 * the run's vhost, and the broker refuses to declare a tier's queue again with another delay.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = "messaging.consumer.retry-delays=" + TestRetryTiers.DELAYS)
public @interface TestRetryTiers {

    /** The delays before each retry; the message is parked after the last. */
    String DELAYS = "500ms,1s,2s,4s,8s";
}
