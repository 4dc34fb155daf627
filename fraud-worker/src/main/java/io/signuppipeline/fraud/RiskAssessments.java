package io.signuppipeline.fraud;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.worker.SignupStep;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Scores each new signup with the third-party fraud API and records the assessment; a REVIEW or
 * REJECT decision is also published as {@code risk.assessed}, which flags the user in the signup API.
 *
 * <p>Scoring reads and changes nothing at the API, so a repeated call after a crash costs a second
 * call and nothing else; the assessment is recorded once.
 */
@Component
class RiskAssessments implements SignupStep<Score> {

    private final RestClient scoringApi;
    private final FraudApiProperties properties;
    private final JdbcClient jdbc;
    private final Outbox outbox;

    RiskAssessments(RestClient.Builder http, FraudApiProperties properties, JdbcClient jdbc, Outbox outbox) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(properties.connectTimeout()).build());
        requests.setReadTimeout(properties.readTimeout());
        this.scoringApi = http.requestFactory(requests).build();
        this.properties = properties;
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Override
    public String name() {
        return SignupTopology.FRAUD_STEP;
    }

    @Override
    public Score on(CloudEvent<UserSignedUp> event) {
        Map<String, String> request = new HashMap<>();
        request.put("email", event.data().email());
        request.put("ip", event.data().signupIp());
        request.put("userAgent", event.data().userAgent());
        Score score = scoringApi.post()
                .uri(properties.scoreUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(Score.class);
        if (score == null) {
            throw new IllegalStateException("The scoring API answered with an empty body");
        }
        return score.requireValid();
    }

    @Override
    public String record(CloudEvent<UserSignedUp> event, Score score) {
        jdbc.sql("""
                INSERT INTO risk_assessments (event_id, signup_id, score, decision)
                VALUES (:eventId, :signupId, :score, :decision)
                """)
                .param("eventId", event.id())
                .param("signupId", event.data().userId())
                .param("score", score.score())
                .param("decision", score.decision())
                .update();
        RiskAssessed assessed = new RiskAssessed(event.data().userId(), score.score(), score.decision());
        outbox.append(RiskAssessed.TYPE, assessed, event.data().userId(), SignupTopology.RISK_ASSESSED);
        return "score " + score.score() + ", " + score.decision();
    }
}
