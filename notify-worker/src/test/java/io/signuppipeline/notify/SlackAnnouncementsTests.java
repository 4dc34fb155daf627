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
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.TestRetryTiers;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The notify worker against the project's WireMock mapping of a Slack incoming webhook.
 */
@SpringBootTest
@UsesTestServices
@TestRetryTiers
class SlackAnnouncementsTests {

    static final WireMockServer slack = MockApis.start();
    static final JsonMapper JSON = JsonMapper.builder().build();

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
        String text = "New signup: &lt;!channel&gt; L. (a***@example.com)";
        slack.verify(1, postRequestedFor(urlPathEqualTo("/slack/webhook")).withRequestBody(equalToJson("""
                {"text": "%s",
                 "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "%s", "verbatim": true}}]}
                """.formatted(text, text))));
        assertThat(posts(event)).isEqualTo(1);
    }

    static Stream<Arguments> namesWithSlackMarkup() {
        return Stream.of(
                arguments("<!channel>", "&lt;!channel&gt;"),
                arguments("<!here>", "&lt;!here&gt;"),
                arguments("<!everyone>", "&lt;!everyone&gt;"),
                arguments("<@U123>", "&lt;@U123&gt;"),
                arguments("<#C123>", "&lt;#C123&gt;"),
                arguments("<http://evil.example|click>", "&lt;http://evil.example|click&gt;"),
                arguments("Tom&amp;Jerry<b>", "Tom&amp;amp;Jerry&lt;b&gt;"),
                arguments("http://evil.example Lovelace", "http://evil.example L."),
                arguments("Eve\u202E <!here>", "Eve &lt;."),
                arguments("Ada\r\nNew signup: Grace", "Ada G."));
    }

    /** What Slack received can show the name and nothing else: no control sequence, no automatic link. */
    @ParameterizedTest
    @MethodSource("namesWithSlackMarkup")
    void slackMarkupInTheNameReachesSlackEscapedInAVerbatimSection(String name, String shown) {
        String domain = UUID.randomUUID() + ".example.com";
        CloudEvent<UserSignedUp> event = signup("eve@" + domain, name);

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlPathEqualTo("/slack/webhook"))
                .withRequestBody(containing("@" + domain + ")")));
        assertThat(posts).hasSize(1);
        JsonNode body = JSON.readTree(posts.getFirst().getBodyAsString());
        String text = "New signup: " + shown + " (e***@" + domain + ")";
        assertThat(body.get("text").asString()).isEqualTo(text).doesNotContain("<", ">");
        JsonNode section = body.get("blocks").get(0);
        assertThat(section.get("type").asString()).isEqualTo("section");
        assertThat(section.get("text").get("type").asString()).isEqualTo("mrkdwn");
        assertThat(section.get("text").get("text").asString()).isEqualTo(text);
        assertThat(section.get("text").get("verbatim").asBoolean()).isTrue();
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
