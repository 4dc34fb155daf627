package io.signuppipeline.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.TestServices;
import io.signuppipeline.testing.UsesTestServices;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/pipeline} and the {@code pipeline} health, against queues the tests declare, fill
 * and consume from themselves. The API reaches the broker's management API through a proxy the
 * tests can cut.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "messaging.outbox.initial-backoff=100ms",
        "messaging.outbox.max-backoff=1s",
        "messaging.outbox.poll-interval=200ms",
        "signup.pipeline.consumer-absence-limit=" + PipelineTests.ABSENCE_LIMIT})
@UsesTestServices
class PipelineTests {

    static final String ABSENCE_LIMIT = "3s";
    /** The broker refreshes the figures the management API shows every 5 s. */
    static final Duration BROKER_STATISTICS = Duration.ofSeconds(30);

    static final String EMAIL = "email-worker.user-signed-up";
    static final String FRAUD = "fraud-worker.user-signed-up";
    static final String BILLING = "billing-worker.user-signed-up";
    static final String NOTIFY = "notify-worker.user-signed-up";

    static TcpProxy managementApi;

    @DynamicPropertySource
    static void reachTheManagementApiThroughAProxy(DynamicPropertyRegistry registry) {
        URI management = URI.create(TestServices.get().rabbitMq().managementUrl());
        managementApi = TcpProxy.to(management.getHost(), management.getPort());
        registry.add("signup.pipeline.management.url", () -> "http://127.0.0.1:" + managementApi.port());
    }

    @AfterAll
    static void closeProxy() {
        managementApi.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    JsonNode pipeline() {
        ApiClient.Response response = api.get("/api/pipeline");
        assertThat(response.status()).as(response.http().body()).isEqualTo(200);
        return response.json();
    }

    static TestQueues testQueues() {
        return new TestQueues(TestServices.get().rabbitMq());
    }

    @Nested
    class Figures {

        @Test
        void reportEachWorkerQueueWithItsRetryTiersDeadLettersAndResults() {
            JsonNode before = pipeline().get("workers");
            recordSteps("email", "DONE", 2);
            recordSteps("email", "FAILED", 1);
            recordSteps("fraud", "DONE", 1);
            try (TestQueues queues = testQueues()) {
                queues.fill(EMAIL, 3).consume(EMAIL, 1)
                        .fill(EMAIL + ".retry.1s", 2)
                        .fill(EMAIL + ".retry.30s", 1)
                        .fill(EMAIL + ".dlq", 1)
                        .fill(EMAIL + ".retrying-elsewhere", 5)
                        .fill(FRAUD + ".retry.5s", 4);

                await().atMost(BROKER_STATISTICS).untilAsserted(() -> {
                    JsonNode workers = pipeline().get("workers");
                    JsonNode email = workers.get("email-worker");
                    assertThat(email.get("queue").asString()).isEqualTo(EMAIL);
                    assertThat(email.get("declared").asBoolean()).isTrue();
                    assertThat(email.get("ready").asLong()).isEqualTo(2);
                    assertThat(email.get("unacknowledged").asLong()).isEqualTo(1);
                    assertThat(email.get("consumers").asInt()).isEqualTo(1);
                    assertThat(email.get("retrying").asLong()).isEqualTo(3);
                    assertThat(email.get("deadLettered").asLong()).isEqualTo(1);
                    assertThat(workers.get("fraud-worker").get("retrying").asLong()).isEqualTo(4);
                });
            }
            JsonNode after = pipeline().get("workers");
            assertThat(increase(before, after, "email-worker", "processed")).isEqualTo(2);
            assertThat(increase(before, after, "email-worker", "failed")).isEqualTo(1);
            assertThat(increase(before, after, "fraud-worker", "processed")).isEqualTo(1);
            assertThat(increase(before, after, "fraud-worker", "failed")).isZero();
        }

        @Test
        void showAQueueThatDoesNotExistYetAsUndeclaredWithZeros() {
            JsonNode notify = pipeline().get("workers").get("notify-worker");

            assertThat(notify.get("queue").asString()).isEqualTo(NOTIFY);
            assertThat(notify.get("declared").asBoolean()).isFalse();
            for (String figure : new String[] {"ready", "unacknowledged", "consumers", "retrying", "deadLettered"}) {
                assertThat(notify.get(figure).asLong()).as(figure).isZero();
            }
            assertThat(pipeline().get("workers").propertyNames())
                    .containsExactly("email-worker", "fraud-worker", "billing-worker", "notify-worker");
        }

        @Test
        void includeHowLongTheOldestUnpublishedEventHasWaited() {
            UUID id = UUID.randomUUID();
            // Not due for an hour, so the relay leaves it alone while the test looks.
            jdbc.sql("""
                    INSERT INTO outbox (id, signup_id, event_type, routing_key, payload, occurred_at, created_at,
                                        next_attempt_at)
                    VALUES (:id, :id, 'test.waiting', 'test.waiting', '{}', now(), now() - INTERVAL '90 seconds',
                            now() + INTERVAL '1 hour')
                    """).param("id", id).update();
            try {
                JsonNode outbox = pipeline().get("outbox");

                assertThat(outbox.get("unpublished").asLong()).isGreaterThanOrEqualTo(1);
                assertThat(outbox.get("oldestUnpublishedAgeSeconds").asDouble()).isBetween(90.0, 120.0);
            } finally {
                jdbc.sql("DELETE FROM outbox WHERE id = :id").param("id", id).update();
            }
        }

        private void recordSteps(String step, String state, int count) {
            for (int i = 0; i < count; i++) {
                jdbc.sql("INSERT INTO signup_steps (signup_id, step, state, at) VALUES (:id, :step, :state, now())")
                        .param("id", UUID.randomUUID()).param("step", step).param("state", state).update();
            }
        }

        private static long increase(JsonNode before, JsonNode after, String worker, String figure) {
            return after.get(worker).get(figure).asLong() - before.get(worker).get(figure).asLong();
        }
    }

    @Nested
    class WhenTheManagementApiIsUnreachable {

        @Test
        void thePipelineAnswers503ProblemAndHealthIsUnknownUntilItIsBack() {
            managementApi.cut();
            try {
                ApiClient.Response response = api.get("/api/pipeline");

                assertThat(response.status()).isEqualTo(503);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.header("Retry-After")).isEqualTo("5");
                assertThat(response.json().get("type").asString()).isEqualTo("/problems/queue-figures-unavailable");
                assertThat(response.http().body()).doesNotContain("Exception", "\tat ");
                assertThat(response.took()).isLessThan(Duration.ofSeconds(5));
                assertThat(api.get("/actuator/health/pipeline").json().get("status").asString()).isEqualTo("UNKNOWN");
            } finally {
                managementApi.restore();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/pipeline").status() == 200);
        }
    }

    @Nested
    class Health {

        @Test
        void turnsDownOnceAWorkerQueueHasHadNoConsumerForTheLimitAndUpWhenOneIsBack() {
            try (TestQueues queues = testQueues()) {
                for (String queue : new String[] {EMAIL, FRAUD, BILLING, NOTIFY}) {
                    queues.declare(queue).consume(queue, 1);
                }
                await().atMost(BROKER_STATISTICS).untilAsserted(() -> {
                    JsonNode health = pipelineHealth();
                    assertThat(withoutConsumer(health).propertyNames()).as(health.toString()).isEmpty();
                    assertThat(health.get("status").asString()).isEqualTo("UP");
                });

                queues.stopConsuming(EMAIL);
                await().atMost(BROKER_STATISTICS).untilAsserted(() -> assertThat(withoutConsumer(pipelineHealth())
                        .propertyNames()).containsExactly(EMAIL));
                Instant firstSeen = Instant.now();
                assertThat(pipelineHealth().get("status").asString()).as("the absence has only begun").isEqualTo("UP");

                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(pipelineHealth().get("status")
                        .asString()).isEqualTo("DOWN"));
                assertThat(Duration.between(firstSeen, Instant.now())).isGreaterThan(Duration.ofSeconds(2));
                JsonNode down = pipelineHealth();
                assertThat(withoutConsumer(down).propertyNames()).containsExactly(EMAIL);
                assertThat(Duration.parse(withoutConsumer(down).get(EMAIL).asString()))
                        .isGreaterThan(Duration.parse("PT" + ABSENCE_LIMIT));
                assertThat(api.get("/actuator/health").status()).as("the whole health says so").isEqualTo(503);
                assertThat(api.get("/actuator/health/liveness").status()).as("no restart").isEqualTo(200);
                assertThat(api.get("/actuator/health/readiness").status()).as("still serving").isEqualTo(200);

                queues.consume(EMAIL, 1);
                await().atMost(BROKER_STATISTICS).untilAsserted(() -> assertThat(pipelineHealth().get("status")
                        .asString()).isEqualTo("UP"));
            }
        }

        @Test
        void countsAQueueThatDoesNotExistAsHavingNoConsumer() {
            await().atMost(BROKER_STATISTICS).untilAsserted(() -> assertThat(withoutConsumer(pipelineHealth())
                    .propertyNames()).containsExactly(EMAIL, FRAUD, BILLING, NOTIFY));
        }

        private JsonNode pipelineHealth() {
            return api.get("/actuator/health/pipeline").json();
        }

        private static JsonNode withoutConsumer(JsonNode health) {
            return health.get("details").get("queuesWithoutConsumer");
        }
    }
}
