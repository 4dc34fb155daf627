package io.signuppipeline.messaging.worker;

import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.results;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.UsesTestServices;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A downstream outage longer than every retry tier together: the worker pauses instead of parking.
 */
@SpringBootTest(properties = {"spring.application.name=outage-tests", "messaging.outbox.poll-interval=200ms",
        "messaging.consumer.retry-delays=200ms,400ms", "messaging.worker.breaker.sliding-window=4",
        "messaging.worker.breaker.minimum-calls=4", "messaging.worker.breaker.open-for=1s"})
@DirtiesContext
@UsesTestServices
class DownstreamOutageTests {

    private static final String QUEUE = "outage-tests.user-signed-up";

    @TestConfiguration
    static class FlakyDownstreamConfiguration {

        @Bean
        FlakyDownstream flakyDownstream() {
            return new FlakyDownstream();
        }
    }

    /** A downstream that is down while {@link #down} is set. */
    static class FlakyDownstream implements SignupStep<String> {

        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public String on(CloudEvent<UserSignedUp> event) throws IOException {
            calls.incrementAndGet();
            if (down.get()) {
                throw new IOException("connect timed out");
            }
            return "ok";
        }

        @Override
        public void record(List<Effect<String>> effects) {
            // The step's own table would be written here; the runtime writes the inbox and the result.
        }

        @Override
        public String detail(String result) {
            return result;
        }
    }

    @Autowired
    FlakyDownstream downstream;

    @Autowired
    DownstreamBreaker breaker;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    RabbitAdmin admin;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anOutageLongerThanEveryRetryPausesTheWorkerParksNothingAndDrainsAfterwards() {
        downstream.down.set(true);
        List<CloudEvent<UserSignedUp>> events = IntStream.range(0, 20).mapToObj(i -> signup()).toList();
        events.forEach(event -> publish(rabbit, event));

        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.state() != CircuitBreaker.State.CLOSED
                && !breaker.consuming());
        int callsWhenPaused = downstream.calls.get();
        // Ten times the retry schedule (0.6 s): without the pause every event would have been parked.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> depth(QUEUE + ".dlq") == 0);
        assertThat(events).noneMatch(event -> processed(jdbc, event));
        assertThat(downstream.calls.get() - callsWhenPaused).as("about one probe per cool-down, not calls per event")
                .isLessThanOrEqualTo(12);

        downstream.down.set(false);

        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().allMatch(event -> processed(jdbc, event)));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.consuming()).isTrue();
        assertThat(events).allSatisfy(event -> assertThat(results(jdbc, event)).isEqualTo(1));
        assertThat(depth(QUEUE + ".dlq")).isZero();
    }

    private long depth(String queue) {
        QueueInformation info = admin.getQueueInfo(queue);
        return info == null ? 0 : info.getMessageCount();
    }
}
