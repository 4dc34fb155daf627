package io.signuppipeline.api;

import io.signuppipeline.testing.UsesTestServices;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole signup API on a random port, against this test run's own PostgreSQL database and
 * RabbitMQ vhost, with retry delays short enough to watch, and the four workers' steps announced
 * before each test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "messaging.outbox.initial-backoff=100ms",
        "messaging.outbox.max-backoff=1s",
        "messaging.outbox.poll-interval=200ms"})
@UsesTestServices
@ExtendWith(AnnouncedSteps.class)
public @interface SignupApiTest {
}
