package io.signuppipeline.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupTopology;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /dashboard/events}: what an open dashboard page receives, with result events published the
 * way the workers publish them.
 */
@SignupApiTest
class DashboardStreamTests {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    ApiClient api;
    EventStream stream;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
        stream = new EventStream(port);
        await().atMost(WITHIN).until(() -> !stream.named("snapshot").isEmpty());
    }

    @AfterEach
    void disconnect() {
        stream.close();
    }

    @Test
    void theStreamIsServerSentEventsAndStartsWithASnapshot() {
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.events().getFirst().name()).isEqualTo("snapshot");
        assertThat(stream.events().getFirst().data().get("signups").isArray()).isTrue();
    }

    @Test
    void aNewSignupArrivesWithFourPendingStepsAndAMaskedAddress() {
        String email = "stream-" + UUID.randomUUID() + "@example.com";
        UUID signupId = UUID.fromString(api.signUp(email, "Grace Hopper").json().get("id").asString());

        JsonNode signup = awaitSignup(signupId, row -> true);

        assertThat(signup.get("email").asString()).isEqualTo("s***@example.com");
        assertThat(signup.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(signup.get("steps").propertyNames()).containsExactly("email", "fraud", "billing", "notify");
        signup.get("steps").forEach(step -> assertThat(step.get("state").asString()).isEqualTo("PENDING"));
        // Anyone who opens the page sees the stream: neither the address nor the name may be in it.
        assertThat(stream.events()).noneSatisfy(event -> assertThat(event.data().toString()).contains(email));
        assertThat(stream.events()).noneSatisfy(event -> assertThat(event.data().toString()).contains("Grace"));
    }

    @Test
    void aSignupsStepChangesArriveAsEventsOneByOne() {
        UUID signupId = UUID.fromString(api.signUp("steps-" + UUID.randomUUID() + "@example.com", "Ada").json()
                .get("id").asString());
        awaitSignup(signupId, row -> true);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);

        publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "billing", at, 287, "cus_123"));
        JsonNode billingDone = awaitSignup(signupId, row -> state(row, "billing").equals("DONE"));
        assertThat(billingDone.get("steps").get("billing").get("durationMs").asLong()).isEqualTo(287);
        assertThat(billingDone.get("steps").get("billing").get("detail").asString()).isEqualTo("cus_123");
        assertThat(state(billingDone, "email")).isEqualTo("PENDING");

        publish(SignupStepFailed.TYPE, new SignupStepFailed(signupId, "email", at, 6, "SMTP down"));
        JsonNode emailFailed = awaitSignup(signupId, row -> state(row, "email").equals("FAILED"));
        assertThat(emailFailed.get("steps").get("email").get("detail").asString()).contains("SMTP down");
        assertThat(state(emailFailed, "billing")).isEqualTo("DONE");
    }

    @Test
    void workerFiguresArriveEveryFewSecondsWithUnknownBreakersWhenNoWorkerAddressIsSet() {
        JsonNode figures = await().atMost(WITHIN).until(() -> stream.named("figures"), list -> !list.isEmpty())
                .getFirst();

        List<String> workers = figures.get("workers").valueStream().map(worker -> worker.get("worker").asString())
                .toList();
        assertThat(workers).containsExactly("email-worker", "fraud-worker", "billing-worker", "notify-worker");
        figures.get("workers").forEach(worker -> {
            assertThat(worker.get("breaker").asString()).isEqualTo("unknown");
            assertThat(worker.get("queue").has("deadLettered")).isTrue();
        });
        assertThat(figures.get("outbox").has("unpublished")).isTrue();
    }

    /** The first signup event for the signup that matches, waiting for it. */
    private JsonNode awaitSignup(UUID signupId, Predicate<JsonNode> matching) {
        return await().atMost(WITHIN).until(() -> stream.named("signup").stream()
                        .filter(row -> row.get("id").asString().equals(signupId.toString()))
                        .filter(matching)
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String state(JsonNode signup, String step) {
        return signup.get("steps").get(step).get("state").asString();
    }

    private void publish(String type, Object data) {
        CloudEvent<Object> event = CloudEvent.of(UUID.randomUUID(), "/test-worker", type, Instant.now(), data);
        rabbit.send(SignupTopology.EXCHANGE, type, MessageBuilder.withBody(EventJson.write(event))
                .setMessageId(event.id().toString()).setType(type).setContentType(CloudEvent.CONTENT_TYPE).build());
    }
}
