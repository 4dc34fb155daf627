package io.signuppipeline.events.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.UserSignedUp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The checked-in shape of {@code user.signed_up}, and the checks that the producer and every consumer run against it.
 */
public final class UserSignedUpContract {

    /** The event the fixture describes, field by field. */
    public static final CloudEvent<UserSignedUp> EXPECTED = CloudEvent.of(
            UUID.fromString("0193a5c2-7f1e-7c4d-9b2a-3e5f6a7b8c9d"),
            "/signup-api",
            "user.signed_up",
            Instant.parse("2026-11-29T10:15:30.123Z"),
            new UserSignedUp(
                    UUID.fromString("0193a5c2-7f1d-7a10-8e44-1f2a3b4c5d6e"),
                    "ada.lovelace@example.com",
                    "Ada Lovelace",
                    "203.0.113.7",
                    "Mozilla/5.0 (X11; Linux x86_64)"));

    private UserSignedUpContract() {
    }

    /** The fixture as the producer must write it. */
    public static byte[] fixture() {
        return read("contract/user.signed_up.json");
    }

    /** The fixture as a later producer might write it: with fields this version does not know. */
    public static byte[] fixtureWithAddedFields() {
        return read("contract/user.signed_up.with-added-field.json");
    }

    /** Producer side: what the producer wrote for {@link #EXPECTED} is the fixture, field for field. */
    public static void assertProducedMatchesFixture(byte[] produced) {
        JsonNode actual = EventJson.mapper().readTree(produced);
        JsonNode expected = EventJson.mapper().readTree(fixture());
        assertThat(actual).isEqualTo(expected);
    }

    /** Consumer side: the consumer's own reader understands the fixture and tolerates added fields. */
    public static void assertConsumable(Function<byte[], CloudEvent<UserSignedUp>> reader) {
        assertThat(reader.apply(fixture())).isEqualTo(EXPECTED);
        assertThat(reader.apply(fixtureWithAddedFields())).isEqualTo(EXPECTED);
    }

    /**
     * Producer side, for a real event with its own values: the same fields as the fixture at every
     * level, no more and no fewer, and readable by a consumer.
     */
    public static void assertSameShapeAsFixture(byte[] produced) {
        assertThat(fieldPaths(EventJson.mapper().readTree(produced), ""))
                .containsExactlyInAnyOrderElementsOf(fieldPaths(EventJson.mapper().readTree(fixture()), ""));
        assertThat(EventJson.read(produced, UserSignedUp.class).data()).isNotNull();
    }

    private static java.util.List<String> fieldPaths(JsonNode node, String prefix) {
        java.util.List<String> paths = new java.util.ArrayList<>();
        for (var entry : node.properties()) {
            paths.add(prefix + entry.getKey());
            if (entry.getValue().isObject()) {
                paths.addAll(fieldPaths(entry.getValue(), prefix + entry.getKey() + "."));
            }
        }
        return paths;
    }

    private static byte[] read(String resource) {
        try (InputStream in = UserSignedUpContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Contract fixture missing from the classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
