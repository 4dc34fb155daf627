package io.signuppipeline.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.retries;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The notify worker against the project's WireMock mapping of a Slack incoming webhook.
 */
@SpringBootTest(properties = "messaging.consumer.retry-delays=500ms,1s,2s,4s,8s")
@UsesTestServices
class SlackAnnouncementsTests {

    static final WireMockServer slack = MockApis.start();

    @DynamicPropertySource
    static void useTheMock(DynamicPropertyRegistry registry) {
        registry.add("worker.slack.webhook-url", () -> slack.baseUrl() + "/slack/webhook");
    }

    @AfterAll
    static void stopTheMock() {
        slack.stop();
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void postsTheSignupWithAMaskedAddressAndRecordsThePost() {
        String local = "ada" + UUID.randomUUID().toString().substring(0, 8);
        CloudEvent<UserSignedUp> event = signup(local + "@example.com", "<!channel> Lovelace");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        slack.verify(1, postRequestedFor(urlPathEqualTo("/slack/webhook")).withRequestBody(equalToJson(
                "{\"text\": \"New signup: &lt;!channel&gt; L. (a***@example.com)\"}")));
        assertThat(posts(event)).isEqualTo(1);
    }

    @Test
    void theSameEventDeliveredTwicePostsOnce() {
        CloudEvent<UserSignedUp> event = signup("twice-" + UUID.randomUUID() + "@example.com", "Twice "
                + UUID.randomUUID());

        deliverTwice(rabbit, jdbc, event);

        slack.verify(1, postRequestedFor(urlPathEqualTo("/slack/webhook"))
                .withRequestBody(containing(event.data().name().split(" ")[0])));
        assertThat(posts(event)).isEqualTo(1);
    }

    @Test
    void aSlackOutageRecordsNothingAndTheEventIsRetried() {
        CloudEvent<UserSignedUp> event = signup("outage-" + UUID.randomUUID() + "@example.com", "Outage");
        StubMapping outage = slack.stubFor(post(urlPathEqualTo("/slack/webhook")).atPriority(0)
                .willReturn(aResponse().withStatus(503).withBody("service_unavailable")));
        double retriesBefore = retries(meters);
        try {
            publish(rabbit, event);
            await().atMost(Duration.ofSeconds(15)).until(() -> retries(meters) >= retriesBefore + 2);
            assertThat(posts(event)).isZero();
        } finally {
            slack.removeStub(outage);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(posts(event)).isEqualTo(1);
    }

    private long posts(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM slack_announcements WHERE signup_id = :id")
                .param("id", event.data().userId()).query(Long.class).single();
    }
}
