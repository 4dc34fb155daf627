package io.signuppipeline.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.EventQueue;
import io.signuppipeline.api.Rows;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.TestServices;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The API reaches RabbitMQ through a proxy that the test cuts, as if the broker had stopped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "messaging.outbox.initial-backoff=100ms",
        "messaging.outbox.max-backoff=1s",
        "messaging.outbox.poll-interval=200ms"})
@UsesTestServices
@DirtiesContext // its relay must not outlive the proxy it publishes through
class BrokerOutageTests {

    static TcpProxy broker;

    @DynamicPropertySource
    static void reachTheBrokerThroughTheProxy(DynamicPropertyRegistry registry) {
        TestServices.RabbitMq rabbitMq = TestServices.get().rabbitMq();
        broker = TcpProxy.to(rabbitMq.host(), rabbitMq.port());
        registry.add("spring.rabbitmq.addresses", () -> "127.0.0.1:" + broker.port());
    }

    @AfterAll
    static void closeProxy() {
        broker.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void signupSucceedsWhileTheBrokerIsDownAndItsEventArrivesWhenItIsBack() {
        ApiClient api = new ApiClient(port);
        Rows rows = new Rows(jdbc);
        try (EventQueue workerQueue = EventQueue.direct(TestServices.get().rabbitMq(),
                SignupTopology.USER_SIGNED_UP)) {
            UUID before = signUp(api, "before-outage");
            await().atMost(Duration.ofSeconds(10)).until(() -> workerQueue.messagesFor(before).size() == 1);

            broker.cut();
            ApiClient.Response response = api.signUp("during-" + UUID.randomUUID() + "@example.com", "Offline");
            UUID during = UUID.fromString(response.json().get("id").asString());

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.took()).as("the API never waits for the broker").isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> rows.attempts(during) >= 2);
            assertThat(rows.published(during)).isFalse();
            assertThat(rows.lastError(during)).startsWith("not sent");
            assertThat(api.get("/api/signups/" + during).status()).isEqualTo(200);

            broker.restore();

            await().atMost(Duration.ofSeconds(30)).until(() -> workerQueue.messagesFor(during).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> rows.published(during));
        }
    }

    private static UUID signUp(ApiClient api, String label) {
        ApiClient.Response response = api.signUp(label + "-" + UUID.randomUUID() + "@example.com", "Ada");
        assertThat(response.status()).isEqualTo(201);
        return UUID.fromString(response.json().get("id").asString());
    }
}
