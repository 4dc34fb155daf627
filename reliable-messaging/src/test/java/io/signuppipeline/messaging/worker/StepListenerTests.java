package io.signuppipeline.messaging.worker;

import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.results;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.UsesTestServices;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The worker runtime with a scripted step, over the real broker and database.
 */
@SpringBootTest(properties = {"messaging.consumer.retry-delay=300ms", "messaging.outbox.poll-interval=200ms"})
@UsesTestServices
class StepListenerTests {

    @TestConfiguration
    static class ScriptedStepConfiguration {

        @Bean
        ScriptedStep scriptedStep() {
            return new ScriptedStep();
        }
    }

    /** Counts its calls and fails as often as a test asks it to, per signup. */
    static class ScriptedStep implements SignupStep<String> {

        final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<UUID, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String on(CloudEvent<UserSignedUp> event) throws IOException {
            UUID signupId = event.data().userId();
            calls.computeIfAbsent(signupId, id -> new AtomicInteger()).incrementAndGet();
            if (failuresLeft.getOrDefault(signupId, new AtomicInteger()).getAndDecrement() > 0) {
                throw new IOException("downstream answered 503");
            }
            return "ref-" + signupId;
        }

        @Override
        public String record(CloudEvent<UserSignedUp> event, String result) {
            return result;
        }

        int calls(UUID signupId) {
            return calls.getOrDefault(signupId, new AtomicInteger()).get();
        }
    }

    @Autowired
    ScriptedStep step;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Test
    void processesAnEventAndWritesItsResultEventInTheSameTransaction() {
        CloudEvent<UserSignedUp> event = signup();

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        SignupStepCompleted result = resultFor(event.data().userId());
        assertThat(result.step()).isEqualTo("scripted");
        assertThat(result.detail()).isEqualTo("ref-" + event.data().userId());
        assertThat(result.durationMillis()).isNotNegative();
    }

    @Test
    void theSameEventDeliveredTwiceIsProcessedOnce() {
        CloudEvent<UserSignedUp> event = signup();

        deliverTwice(rabbit, jdbc, event);

        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void aFailingDownstreamIsRetriedOnTheBrokerUntilItSucceeds() {
        CloudEvent<UserSignedUp> event = signup();
        step.failuresLeft.put(event.data().userId(), new AtomicInteger(2));

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(3);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void aMalformedMessageIsParkedWithItsReasonAndTheQueueKeepsFlowing() {
        String poisonId = UUID.randomUUID().toString();
        rabbit.send(SignupTopology.EXCHANGE, SignupTopology.USER_SIGNED_UP, MessageBuilder
                .withBody("{not json".getBytes()).setMessageId(poisonId).setContentType("application/json").build());
        CloudEvent<UserSignedUp> after = signup();
        publish(rabbit, after);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, after));
        Message parked = await().atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.receive("messaging-tests.user-signed-up.dlq"),
                        message -> message != null && poisonId.equals(message.getMessageProperties().getMessageId()));
        assertThat((String) parked.getMessageProperties().getHeader(DeadLetters.REASON)).contains("malformed");
        assertThat((String) parked.getMessageProperties().getHeader(DeadLetters.ORIGINAL_ROUTING_KEY))
                .isEqualTo(SignupTopology.USER_SIGNED_UP);
        assertThat(new String(parked.getBody())).isEqualTo("{not json");
    }

    private SignupStepCompleted resultFor(UUID signupId) {
        String payload = jdbc.sql("SELECT payload FROM outbox WHERE signup_id = :id AND event_type = :type")
                .param("id", signupId).param("type", SignupStepCompleted.TYPE).query(String.class).single();
        return EventJson.read(payload.getBytes(), SignupStepCompleted.class).data();
    }
}
