package io.signuppipeline.api.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.AnnouncedSteps;
import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.DeliveryHeaders;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The per-signup status, fed by result events published the way the workers publish them.
 */
@SignupApiTest
// Two checks below publish a repeat and then a marker on one channel, and take the marker's arrival as
// proof that the repeat was applied: that holds with one consumer, which takes the queue in order.
@TestPropertySource(properties = "spring.rabbitmq.listener.simple.concurrency=1")
class SignupStatusTests {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @Test
    void aNewSignupHasAPendingStepForEachAnnouncedWorker() {
        JsonNode signup = api.signUp(uniqueEmail(), "Ada").json();

        assertThat(signup.get("steps").propertyNames()).containsExactly("email", "fraud", "billing", "notify");
        signup.get("steps").forEach(step -> assertThat(step.get("state").asString()).isEqualTo("PENDING"));
    }

    @Test
    void aStepAnnouncedLaterCountsForLaterSignupsOnlyUntilItIsRetired() {
        UUID before = UUID.fromString(api.signUp(uniqueEmail(), "Ada").json().get("id").asString());
        Instant firstInstanceStarted = Instant.now();
        try {
            AnnouncedSteps.publish(rabbit, crm(firstInstanceStarted), Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> crmActive() == Boolean.TRUE);

            JsonNode after = api.signUp(uniqueEmail(), "Grace").json();
            UUID afterId = UUID.fromString(after.get("id").asString());
            assertThat(after.get("steps").propertyNames()).containsExactly("email", "fraud", "billing", "notify", "crm");
            assertThat(api.get("/api/signups/" + afterId).json().get("steps").get("crm").get("state").asString())
                    .isEqualTo("PENDING");
            assertThat(api.get("/api/signups/" + before).json().get("steps").propertyNames())
                    .as("created before the step was known").containsExactly("email", "fraud", "billing", "notify");

            // A result from a step the signup does not wait for is shown all the same.
            publish(SignupStepCompleted.TYPE, new SignupStepCompleted(before, "crm", Instant.now(), 42, "crm-7"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(before, "crm").get("state").asString()));

            // Retired by hand, as scripts/steps.sh retire does: new signups stop waiting for it.
            jdbc.sql("UPDATE steps SET retired_at = now() WHERE step = 'crm'").update();
            await().atMost(Duration.ofSeconds(10)).until(() -> crmActive() == Boolean.FALSE);
            assertThat(api.signUp(uniqueEmail(), "Alan").json().get("steps").propertyNames())
                    .containsExactly("email", "fraud", "billing", "notify");
            assertThat(api.get("/api/signups/" + afterId).json().get("steps").propertyNames())
                    .as("created while the step counted").contains("crm");

            // The instance that was running keeps announcing, and the step stays retired; one started
            // after the retirement brings it back.
            // One channel for both: once notify is DONE, the announcement was applied.
            rabbit.invoke(operations -> {
                AnnouncedSteps.publish(rabbit, crm(firstInstanceStarted), Instant.now());
                publish(SignupStepCompleted.TYPE, new SignupStepCompleted(afterId, "notify", Instant.now(), 1, null));
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(afterId, "notify").get("state").asString()));
            assertThat(crmActive()).isFalse();
            AnnouncedSteps.publish(rabbit, crm(Instant.now()), Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> crmActive() == Boolean.TRUE);
        } finally {
            jdbc.sql("UPDATE steps SET retired_at = now() WHERE step = 'crm'").update();
        }
    }

    private static SignupStepAnnounced crm(Instant started) {
        return new SignupStepAnnounced("crm", "crm-worker", SignupTopology.workQueue("crm-worker"), null, started);
    }

    /** Whether GET /api/steps lists crm as counting; null while it does not list it. */
    private Boolean crmActive() {
        for (JsonNode step : api.get("/api/steps").json()) {
            if (step.get("name").asString().equals("crm")) {
                return step.get("retiredAt").isNull();
            }
        }
        return null;
    }

    @Test
    void aCompletedStepShowsItsTimeDurationAndDetailAndStaysDone() {
        UUID signupId = signUp();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SignupStepCompleted billing = new SignupStepCompleted(signupId, "billing", at, 287, "cus_123");

        publish(SignupStepCompleted.TYPE, billing);
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "billing").get("state").asString()));

        // One channel for both, so the broker keeps their order: once notify is DONE, the repeat was applied.
        rabbit.invoke(operations -> {
            publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "billing", at.plusSeconds(5), 1, "cus_999"));
            publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "notify", at, 120, null));
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "notify").get("state").asString()));
        JsonNode step = step(signupId, "billing");
        assertThat(step.get("detail").asString()).isEqualTo("cus_123");
        assertThat(step.get("durationMs").asLong()).isEqualTo(287);
        assertThat(Instant.parse(step.get("at").asString())).isEqualTo(at);
        assertThat(step(signupId, "email").get("state").asString()).isEqualTo("PENDING");
    }

    @Test
    void aParkedStepShowsFailedThenPendingWhenReplayedThenDone() {
        UUID signupId = signUp();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);

        publish(SignupStepFailed.TYPE, new SignupStepFailed(signupId, "email", at, 6, "gave up after 6 attempts: SMTP down"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(step(signupId, "email").get("state").asString()));
        assertThat(step(signupId, "email").get("detail").asString()).contains("6 attempts", "SMTP down");

        publish(SignupStepReplayed.TYPE, new SignupStepReplayed(signupId, "email", at.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "PENDING".equals(step(signupId, "email").get("state").asString()));

        publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "email", at.plusSeconds(61), 40, "<id@mail>"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "email").get("state").asString()));
    }

    @Test
    void aLateFailureDoesNotUndoADoneStep() {
        UUID signupId = signUp();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "fraud", at, 80, "score 12"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "fraud").get("state").asString()));

        rabbit.invoke(operations -> {
            publish(SignupStepFailed.TYPE, new SignupStepFailed(signupId, "fraud", at.plusSeconds(1), 1, "late copy"));
            publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "notify", at, 120, null));
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "notify").get("state").asString()));
        assertThat(step(signupId, "fraud").get("state").asString()).isEqualTo("DONE");
    }

    @Test
    void anUnreadableResultIsParkedAndTheQueueKeepsFlowing() {
        UUID signupId = signUp();
        String unreadableId = UUID.randomUUID().toString();

        rabbit.invoke(operations -> {
            operations.send(SignupTopology.EXCHANGE, SignupStepCompleted.TYPE, MessageBuilder.withBody("{}".getBytes())
                    .setMessageId(unreadableId).setType(SignupStepCompleted.TYPE).build());
            publish(SignupStepCompleted.TYPE, new SignupStepCompleted(signupId, "email", Instant.now(), 10, null));
            return null;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(signupId, "email").get("state").asString()));
        Message parked = await().atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.receive(SignupTopology.STEP_RESULTS_QUEUE + ".dlq"), Objects::nonNull);
        assertThat(parked.getMessageProperties().getMessageId()).isEqualTo(unreadableId);
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.REASON))
                .isEqualTo("unreadable " + SignupStepCompleted.TYPE);
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.EXCEPTION_MESSAGE))
                .contains("the envelope has no id").doesNotContain("Source", "line:");
    }

    /** The workers send their results several to a message: each is applied, and a bad one is parked alone. */
    @Test
    void resultsPackedInOneMessageAreEachAppliedAndAnUnreadableOneIsParkedAlone() {
        UUID first = signUp();
        UUID second = signUp();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String unreadableId = UUID.randomUUID().toString();

        publishPacked(List.of(
                envelope(new SignupStepCompleted(first, "email", at, 30, "<1@mail>")),
                "{\"id\":\"" + unreadableId + "\",\"type\":\"" + SignupStepCompleted.TYPE + "\"}",
                envelope(new SignupStepCompleted(second, "email", at, 31, "<2@mail>")),
                envelope(new SignupStepCompleted(first, "billing", at, 32, "cus_1"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(step(first, "email").get("state").asString())
                && "DONE".equals(step(second, "email").get("state").asString())
                && "DONE".equals(step(first, "billing").get("state").asString()));
        assertThat(step(second, "email").get("detail").asString()).isEqualTo("<2@mail>");
        Message parked = await().atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.receive(SignupTopology.STEP_RESULTS_QUEUE + ".dlq"), Objects::nonNull);
        assertThat(parked.getMessageProperties().getMessageId()).isEqualTo(unreadableId);
        assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(unreadableId);
    }

    @Test
    void aPackThatIsNoArrayOfEventsIsParkedWhole() {
        String packId = UUID.randomUUID().toString();

        rabbit.send(SignupTopology.EXCHANGE, SignupStepCompleted.TYPE, MessageBuilder.withBody("{not json".getBytes())
                .setMessageId(packId).setType(SignupStepCompleted.TYPE).setContentType(CloudEvent.BATCH_CONTENT_TYPE)
                .build());

        Message parked = await().atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.receive(SignupTopology.STEP_RESULTS_QUEUE + ".dlq"), Objects::nonNull);
        assertThat(parked.getMessageProperties().getMessageId()).isEqualTo(packId);
        assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void aRejectingRiskAssessmentFlagsTheUser() {
        UUID rejected = signUp();
        UUID approved = signUp();

        publish(RiskAssessed.TYPE, new RiskAssessed(approved, 12, "APPROVE"));
        publish(RiskAssessed.TYPE, new RiskAssessed(rejected, 92, "REJECT"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "FLAGGED".equals(status(rejected)));
        assertThat(status(approved)).isEqualTo("ACTIVE");
    }

    private UUID signUp() {
        return UUID.fromString(api.signUp(uniqueEmail(), "Ada").json().get("id").asString());
    }

    private JsonNode step(UUID signupId, String step) {
        return api.get("/api/signups/" + signupId).json().get("steps").get(step);
    }

    private String status(UUID signupId) {
        return api.get("/api/signups/" + signupId).json().get("status").asString();
    }

    private void publish(String type, Object data) {
        CloudEvent<Object> event = CloudEvent.of(UUID.randomUUID(), "/test-worker", type, Instant.now(), data);
        rabbit.send(SignupTopology.EXCHANGE, type, MessageBuilder.withBody(EventJson.write(event))
                .setMessageId(event.id().toString()).setType(type).setContentType(CloudEvent.CONTENT_TYPE).build());
    }

    private static String envelope(SignupStepCompleted completed) {
        return new String(EventJson.write(CloudEvent.of(UUID.randomUUID(), "/test-worker", SignupStepCompleted.TYPE,
                Instant.now(), completed)), StandardCharsets.UTF_8);
    }

    /** As a worker's relay sends a run of results: one message, its body an array of envelopes. */
    private void publishPacked(List<String> envelopes) {
        byte[] body = BatchedEvents.pack(envelopes.stream().map(json -> new BatchedEvents.Packed(json, null)).toList());
        rabbit.send(SignupTopology.EXCHANGE, SignupStepCompleted.TYPE, MessageBuilder.withBody(body)
                .setMessageId(UUID.randomUUID().toString()).setType(SignupStepCompleted.TYPE)
                .setContentType(CloudEvent.BATCH_CONTENT_TYPE).build());
    }

    private static String uniqueEmail() {
        return "status-" + UUID.randomUUID() + "@example.com";
    }
}
