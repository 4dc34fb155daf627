package io.signuppipeline.testing;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plays the signup API's part for a worker under test: publishes {@code user.signed_up} as the
 * outbox relay does, and tells when the worker has processed it.
 */
public final class SignupEvents {

    private SignupEvents() {
    }

    /** A new signup event for this address and name. */
    public static CloudEvent<UserSignedUp> signup(String email, String name) {
        return CloudEvent.of(UUID.randomUUID(), "/signup-api", UserSignedUp.TYPE, Instant.now(),
                new UserSignedUp(UUID.randomUUID(), email, name, "203.0.113.7", "Mozilla/5.0 (test)"));
    }

    /** A new signup event with an address nobody else uses. */
    public static CloudEvent<UserSignedUp> signup() {
        return signup("user-" + UUID.randomUUID() + "@example.com", "Ada Lovelace");
    }

    /** Publishes the event with the contract's message properties. */
    public static void publish(RabbitOperations rabbit, CloudEvent<UserSignedUp> event) {
        rabbit.send(SignupTopology.EXCHANGE, SignupTopology.USER_SIGNED_UP, MessageBuilder
                .withBody(EventJson.write(event))
                .setMessageId(event.id().toString())
                .setType(event.type())
                .setContentType(CloudEvent.CONTENT_TYPE)
                .setAppId("signup-api")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .build());
    }

    /**
     * Delivers the event, waits until the worker has processed it, then delivers it again followed by
     * a fresh event on the same channel, and returns once the fresh one is processed: by then the
     * broker has handed the worker the repeat too.
     */
    public static void deliverTwice(RabbitTemplate rabbit, JdbcClient jdbc, CloudEvent<UserSignedUp> event) {
        publish(rabbit, event);
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        CloudEvent<UserSignedUp> next = signup();
        rabbit.invoke(operations -> {
            publish(operations, event);
            publish(operations, next);
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, next));
    }

    /** How many deliveries the worker has sent to its retry queue so far. */
    public static double retries(MeterRegistry meters) {
        Counter counter = meters.find("worker.events").tag("outcome", "retry").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Whether the worker has committed the event as processed. */
    public static boolean processed(JdbcClient jdbc, CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM inbox WHERE event_id = :id").param("id", event.id())
                .query(Long.class).single() == 1;
    }

    /** How many step results the worker wrote for the signup. */
    public static long results(JdbcClient jdbc, CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE signup_id = :id AND event_type = 'signup.step_completed'")
                .param("id", event.data().userId()).query(Long.class).single();
    }
}
