package io.signuppipeline.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.EventQueue;
import io.signuppipeline.api.Rows;
import io.signuppipeline.api.SignupApiApplication;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.TestServices;
import io.signuppipeline.testing.TestServicesInitializer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An instance commits a signup and dies before its relay publishes the event; the next instance
 * to start publishes it. The first instance runs without a relay, which leaves the database exactly
 * as a crash right after commit would: a committed outbox row that nobody has published.
 */
class RelayRestartTests {

    @Test
    void anEventCommittedButNeverPublishedIsPublishedAfterARestart() {
        try (EventQueue workerQueue = EventQueue.direct(TestServices.get().rabbitMq(),
                SignupTopology.USER_SIGNED_UP)) {
            UUID signupId;
            try (ConfigurableApplicationContext crashed = startApi(false)) {
                ApiClient.Response response = new ApiClient(port(crashed))
                        .signUp("restart-" + UUID.randomUUID() + "@example.com", "Ada");
                assertThat(response.status()).isEqualTo(201);
                signupId = UUID.fromString(response.json().get("id").asString());
                Rows rows = new Rows(crashed.getBean(JdbcClient.class));
                assertThat(rows.outboxFor(signupId)).isEqualTo(1);
                assertThat(rows.published(signupId)).isFalse();
            }
            assertThat(workerQueue.messagesFor(signupId)).isEmpty();

            try (ConfigurableApplicationContext restarted = startApi(true)) {
                Rows rows = new Rows(restarted.getBean(JdbcClient.class));
                await().atMost(Duration.ofSeconds(15)).until(() -> workerQueue.messagesFor(signupId).size() == 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> rows.published(signupId));
            }
        }
    }

    private static ConfigurableApplicationContext startApi(boolean relay) {
        return new SpringApplicationBuilder(SignupApiApplication.class)
                .initializers(new TestServicesInitializer())
                .run("--server.port=0", "--messaging.outbox.relay-enabled=" + relay,
                        "--messaging.outbox.poll-interval=200ms");
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
