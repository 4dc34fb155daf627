package io.signuppipeline.fraud;

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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.TestRetryTiers;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.Map;
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
 * The fraud worker against the project's WireMock mappings of the scoring API.
 */
@SpringBootTest(properties = "worker.fraud.read-timeout=500ms")
@UsesTestServices
@TestRetryTiers
class RiskAssessmentsTests {

    static final WireMockServer scoringApi = MockApis.start();

    @DynamicPropertySource
    static void useTheMock(DynamicPropertyRegistry registry) {
        registry.add("worker.fraud.score-url", () -> scoringApi.baseUrl() + "/fraud/score");
    }

    @AfterAll
    static void stopTheMock() {
        scoringApi.stop();
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void scoresTheSignupAndRecordsAnApproval() {
        CloudEvent<UserSignedUp> event = signup("ada-" + UUID.randomUUID() + "@example.com", "Ada");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        Map<String, Object> assessment = assessment(event);
        assertThat(assessment.get("decision")).isEqualTo("APPROVE");
        assertThat((Integer) assessment.get("score")).isBetween(0, 29);
        scoringApi.verify(1, postRequestedFor(urlPathEqualTo("/fraud/score")).withRequestBody(equalToJson("""
                {"email": "%s", "ip": "203.0.113.7", "userAgent": "Mozilla/5.0 (test)"}
                """.formatted(event.data().email()))));
        assertThat(riskAssessed(event).decision()).isEqualTo("APPROVE");
    }

    @Test
    void aRejectedSignupIsPublishedSoTheUserGetsFlagged() {
        CloudEvent<UserSignedUp> event = signup("mallory-" + UUID.randomUUID() + "+reject@example.com", "Mallory");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(assessment(event)).containsEntry("decision", "REJECT").containsEntry("score", 92);
        RiskAssessed assessed = riskAssessed(event);
        assertThat(assessed.flagsUser()).isTrue();
        assertThat(assessed.userId()).isEqualTo(event.data().userId());
    }

    @Test
    void theSameEventDeliveredTwiceIsScoredAndRecordedOnce() {
        CloudEvent<UserSignedUp> event = signup("twice-" + UUID.randomUUID() + "@example.com", "Twice");

        deliverTwice(rabbit, jdbc, event);

        scoringApi.verify(1, postRequestedFor(urlPathEqualTo("/fraud/score"))
                .withRequestBody(containing(event.data().email())));
        assertThat(assessments(event)).isEqualTo(1);
    }

    @Test
    void aServerErrorRecordsNothingAndTheEventIsRetriedUntilTheApiRecovers() {
        assertRetriedThroughAnOutage(aResponse().withStatus(503));
    }

    @Test
    void aTimeoutRecordsNothingAndTheEventIsRetriedUntilTheApiRecovers() {
        assertRetriedThroughAnOutage(aResponse().withStatus(200).withFixedDelay(2_000)
                .withHeader("Content-Type", "application/json").withBody("{\"score\": 1, \"decision\": \"APPROVE\"}"));
    }

    private void assertRetriedThroughAnOutage(ResponseDefinitionBuilder failure) {
        CloudEvent<UserSignedUp> event = signup("outage-" + UUID.randomUUID() + "@example.com", "Outage");
        StubMapping outage = scoringApi.stubFor(post(urlPathEqualTo("/fraud/score")).atPriority(0)
                .withRequestBody(containing(event.data().email())).willReturn(failure));
        double retriesBefore = retries(meters);

        publish(rabbit, event);
        await().atMost(Duration.ofSeconds(15)).until(() -> retries(meters) >= retriesBefore + 2);
        assertThat(processed(jdbc, event)).isFalse();
        assertThat(assessments(event)).isZero();
        scoringApi.removeStub(outage);

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(assessments(event)).isEqualTo(1);
    }

    private Map<String, Object> assessment(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT score, decision FROM risk_assessments WHERE event_id = :id").param("id", event.id())
                .query().singleRow();
    }

    private long assessments(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM risk_assessments WHERE signup_id = :id")
                .param("id", event.data().userId()).query(Long.class).single();
    }

    private RiskAssessed riskAssessed(CloudEvent<UserSignedUp> event) {
        String payload = jdbc.sql("SELECT payload FROM outbox WHERE signup_id = :id AND event_type = :type")
                .param("id", event.data().userId()).param("type", RiskAssessed.TYPE).query(String.class).single();
        return EventJson.read(payload.getBytes(), RiskAssessed.class).data();
    }
}
