package io.signuppipeline.events.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.UserSignedUp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event type's checked-in fixture, the event it describes, and the checks that its producer and
 * every consumer run against it.
 *
 * @param fixture the fixture's classpath location
 * @param dataType the payload record
 * @param expected the event the fixture describes, field by field
 * @param <T> the payload type
 */
public record EventContract<T>(String fixture, Class<T> dataType, CloudEvent<T> expected) {

    private static final UUID USER_ID = UUID.fromString("0193a5c2-7f1d-7a10-8e44-1f2a3b4c5d6e");

    /** What signup-api publishes and every worker consumes. */
    public static final EventContract<UserSignedUp> USER_SIGNED_UP = new EventContract<>(
            "contract/user.signed_up.json", UserSignedUp.class, CloudEvent.of(
                    UUID.fromString("0193a5c2-7f1e-7c4d-9b2a-3e5f6a7b8c9d"), "/signup-api", UserSignedUp.TYPE,
                    Instant.parse("2026-11-29T10:15:30.123Z"),
                    new UserSignedUp(USER_ID, "ada.lovelace@example.com", "Ada Lovelace", "203.0.113.7",
                            "Mozilla/5.0 (X11; Linux x86_64)")));

    /** What every worker publishes and signup-api consumes. */
    public static final EventContract<SignupStepCompleted> STEP_COMPLETED = new EventContract<>(
            "contract/signup.step_completed.json", SignupStepCompleted.class, CloudEvent.of(
                    UUID.fromString("0193a5c3-1a2b-7c3d-8e4f-5a6b7c8d9e0f"), "/billing-worker",
                    SignupStepCompleted.TYPE, Instant.parse("2026-11-29T10:15:31.456Z"),
                    new SignupStepCompleted(USER_ID, "billing", Instant.parse("2026-11-29T10:15:31.456Z"), 287,
                            "cus_0193a5c27f1e7c4d")));

    /** What a worker publishes when it parks a signup's event, and signup-api consumes. */
    public static final EventContract<SignupStepFailed> STEP_FAILED = new EventContract<>(
            "contract/signup.step_failed.json", SignupStepFailed.class, CloudEvent.of(
                    UUID.fromString("0193a5c4-3c4d-7e5f-8a6b-7c8d9e0f1a2b"), "/email-worker",
                    SignupStepFailed.TYPE, Instant.parse("2026-11-29T10:21:02.789Z"),
                    new SignupStepFailed(USER_ID, "email", Instant.parse("2026-11-29T10:21:02.789Z"), 6,
                            "gave up after 6 attempts: jakarta.mail.MessagingException: Could not connect to SMTP host")));

    /** What a worker publishes when a parked event is replayed, and signup-api consumes. */
    public static final EventContract<SignupStepReplayed> STEP_REPLAYED = new EventContract<>(
            "contract/signup.step_replayed.json", SignupStepReplayed.class, CloudEvent.of(
                    UUID.fromString("0193a5c9-4d5e-7f6a-9b7c-8d9e0f1a2b3c"), "/email-worker",
                    SignupStepReplayed.TYPE, Instant.parse("2026-11-29T11:02:45.001Z"),
                    new SignupStepReplayed(USER_ID, "email", Instant.parse("2026-11-29T11:02:45.001Z"))));

    /** What every worker publishes when it starts and every little while after, and signup-api consumes. */
    public static final EventContract<SignupStepAnnounced> STEP_ANNOUNCED = new EventContract<>(
            "contract/signup.step_announced.json", SignupStepAnnounced.class, CloudEvent.of(
                    UUID.fromString("0193a5b0-0a1b-7c2d-8e3f-4a5b6c7d8e9f"), "/billing-worker",
                    SignupStepAnnounced.TYPE, Instant.parse("2026-11-29T10:00:05.250Z"),
                    new SignupStepAnnounced("billing", "billing-worker", "billing-worker.user-signed-up",
                            "http://billing-worker:8083", Instant.parse("2026-11-29T10:00:01.123Z"))));

    /** Every contract, for tests that check them all. */
    public static Stream<EventContract<?>> all() {
        return Stream.of(USER_SIGNED_UP, STEP_COMPLETED, STEP_FAILED, STEP_REPLAYED, RISK_ASSESSED, STEP_ANNOUNCED);
    }

    /** What fraud-worker publishes and signup-api consumes. */
    public static final EventContract<RiskAssessed> RISK_ASSESSED = new EventContract<>(
            "contract/risk.assessed.json", RiskAssessed.class, CloudEvent.of(
                    UUID.fromString("0193a5c3-2b3c-7d4e-9f5a-6b7c8d9e0f1a"), "/fraud-worker", RiskAssessed.TYPE,
                    Instant.parse("2026-11-29T10:15:31.012Z"), new RiskAssessed(USER_ID, 91, "REJECT")));

    /** The fixture as the producer must write it. */
    public byte[] fixtureBytes() {
        try (InputStream in = EventContract.class.getClassLoader().getResourceAsStream(fixture)) {
            if (in == null) {
                throw new IllegalStateException("Contract fixture missing from the classpath: " + fixture);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture as a later producer might write it: an envelope extension and a payload field this version lacks. */
    public byte[] fixtureWithAddedFields() {
        ObjectNode envelope = (ObjectNode) EventJson.mapper().readTree(fixtureBytes());
        envelope.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ((ObjectNode) envelope.get("data")).put("addedInALaterVersion", "ignored");
        return EventJson.mapper().writeValueAsBytes(envelope);
    }

    /** Producer side: what the producer wrote for {@link #expected} is the fixture, field for field. */
    public void assertProducedMatchesFixture(byte[] produced) {
        assertThat(EventJson.mapper().readTree(produced)).isEqualTo(EventJson.mapper().readTree(fixtureBytes()));
    }

    /**
     * Producer side, for a real event with its own values: the fixture's fields at every level, no more
     * and no fewer, and readable by a consumer.
     */
    public void assertSameShapeAsFixture(byte[] produced) {
        assertThat(fieldPaths(EventJson.mapper().readTree(produced), ""))
                .containsExactlyInAnyOrderElementsOf(fieldPaths(EventJson.mapper().readTree(fixtureBytes()), ""));
        assertThat(EventJson.read(produced, dataType).data()).isNotNull();
    }

    /** Consumer side: the consumer's own reader understands the fixture and tolerates added fields. */
    public void assertConsumable(Function<byte[], CloudEvent<T>> reader) {
        assertThat(reader.apply(fixtureBytes())).isEqualTo(expected);
        assertThat(reader.apply(fixtureWithAddedFields())).isEqualTo(expected);
    }

    private static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        for (var entry : node.properties()) {
            paths.add(prefix + entry.getKey());
            if (entry.getValue().isObject()) {
                paths.addAll(fieldPaths(entry.getValue(), prefix + entry.getKey() + "."));
            }
        }
        return paths;
    }
}
