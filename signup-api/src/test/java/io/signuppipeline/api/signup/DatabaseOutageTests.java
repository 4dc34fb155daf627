package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.TestServices;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The API reaches PostgreSQL through a proxy that the test cuts, as if the database had stopped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "messaging.outbox.initial-backoff=100ms",
        "messaging.outbox.max-backoff=1s",
        "messaging.outbox.poll-interval=200ms",
        // Fewer connections than requests during the outage: the first requests get a pooled connection that
        // breaks under them, the later ones find none and wait out Hikari's connection timeout.
        "spring.datasource.hikari.maximum-pool-size=" + DatabaseOutageTests.POOL_SIZE})
@UsesTestServices
@DirtiesContext // its pool and relay must not outlive the proxy they connect through
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTests {

    /** The answer must come well before a client or a load balancer gives up. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);
    static final int POOL_SIZE = 2;

    static TcpProxy database;

    /**
     * Through Hikari's own URL: the test services' {@code spring.datasource.url} takes precedence
     * over dynamic properties, and Hikari's settings are bound after it.
     */
    @DynamicPropertySource
    static void reachTheDatabaseThroughTheProxy(DynamicPropertyRegistry registry) {
        TestServices.Postgres postgres = TestServices.get().postgres();
        database = postgres.proxy();
        registry.add("spring.datasource.hikari.jdbc-url", () -> postgres.jdbcUrlThrough(database));
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @LocalServerPort
    int port;

    @Test
    void signupsAnswer503WithRetryAfterWhileTheDatabaseIsDownAndRecoverByThemselves(CapturedOutput output) {
        ApiClient api = new ApiClient(port);
        String before = signUp(api);

        database.cut();
        try {
            for (int i = 0; i <= POOL_SIZE; i++) {
                assertUnavailable(api.signUp(uniqueEmail(), "Offline"));
                assertUnavailable(api.get("/api/signups/" + before));
            }
            assertThat(output.getAll().lines().filter(line -> line.contains("Answering 503 to")))
                    .as("one line per request").hasSize(2 * (POOL_SIZE + 1))
                    .allSatisfy(line -> assertThat(line).contains("WARN", "the database is unavailable"));
            assertThat(output.getAll()).as("nothing logged a request's stack trace")
                    .doesNotContain("at io.signuppipeline.api.signup.SignupController");
        } finally {
            database.restore();
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/api/signups/" + before).status() == 200);
        assertThat(api.signUp(uniqueEmail(), "Back").status()).isEqualTo(201);
    }

    /**
     * The database goes away the moment the signup's transaction has committed: the signup is saved,
     * so its answer is a 201, never a 503 that would send the client back to a 409.
     */
    @Test
    void aSignupCommittedJustBeforeTheDatabaseGoesAwayIsAnswered201() {
        ApiClient api = new ApiClient(port);
        ApiClient.Response response;
        CutTheDatabaseAfterCommit.armed.set(true);
        try {
            response = api.signUp(uniqueEmail(), "Grace");
            assertThat(CutTheDatabaseAfterCommit.armed).as("the database was cut after the commit").isFalse();
        } finally {
            CutTheDatabaseAfterCommit.armed.set(false);
            database.restore();
        }
        assertThat(response.status()).as(response.http().body()).isEqualTo(201);
        assertThat(response.json().get("steps").properties()).hasSize(4)
                .allSatisfy(step -> assertThat(step.getValue().get("state").asString()).isEqualTo("PENDING"));
        String id = response.json().get("id").asString();
        await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/api/signups/" + id).status() == 200);
    }

    /** Cuts the database once armed, as the first thing after a signup's transaction commits. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CutTheDatabaseAfterCommit {

        static final AtomicBoolean armed = new AtomicBoolean();

        @TransactionalEventListener
        @Order(Ordered.HIGHEST_PRECEDENCE)
        void on(SignupAccepted accepted) {
            if (armed.getAndSet(false)) {
                database.cut();
            }
        }
    }

    private static void assertUnavailable(ApiClient.Response response) {
        assertThat(response.status()).as(response.http().body()).isEqualTo(503);
        assertThat(response.took()).isLessThan(PROMPTLY);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().get("type").asString()).isEqualTo("/problems/database-unavailable");
        assertThat(response.json().has("trace")).isFalse();
        assertThat(response.http().body()).doesNotContain("Exception", "\tat ");
    }

    private static String signUp(ApiClient api) {
        ApiClient.Response response = api.signUp(uniqueEmail(), "Ada");
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private static String uniqueEmail() {
        return "outage-" + UUID.randomUUID() + "@example.com";
    }
}
