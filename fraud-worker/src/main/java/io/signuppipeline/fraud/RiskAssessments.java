package io.signuppipeline.fraud;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.DownstreamHttp;
import io.signuppipeline.messaging.worker.Effect;
import io.signuppipeline.messaging.worker.Publication;
import io.signuppipeline.messaging.worker.SignupStep;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Scores each new signup with the third-party fraud API, records the assessment and publishes it as
 * {@code risk.assessed}; a REVIEW or REJECT decision flags the user in the signup API.
 *
 * <p>Scoring reads and changes nothing at the API, so a repeated call after a crash costs a second
 * call and nothing else; the assessment is recorded once.
 */
@Component
class RiskAssessments implements SignupStep<Score> {

    private final RestClient scoringApi;
    private final FraudApiProperties properties;
    private final JdbcTemplate jdbc;

    RiskAssessments(RestClient.Builder http, DownstreamHttp downstream, FraudApiProperties properties,
            JdbcTemplate jdbc) {
        this.scoringApi = http.requestFactory(downstream.requestFactory(properties.connectTimeout(),
                properties.readTimeout())).build();
        this.properties = properties;
        this.jdbc = jdbc;
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
    public void record(List<Effect<Score>> assessments) {
        jdbc.batchUpdate("INSERT INTO risk_assessments (event_id, signup_id, score, decision) VALUES (?, ?, ?, ?)",
                assessments, assessments.size(), (insert, assessment) -> {
                    insert.setObject(1, assessment.event().id());
                    insert.setObject(2, assessment.event().data().userId());
                    insert.setInt(3, assessment.result().score());
                    insert.setString(4, assessment.result().decision());
                });
    }

    @Override
    public String detail(Score score) {
        return "score " + score.score() + ", " + score.decision();
    }

    /** Every assessment is published; the signup API flags the users it puts to REVIEW or REJECT. */
    @Override
    public List<Publication> publications(CloudEvent<UserSignedUp> event, Score score) {
        return List.of(new Publication(RiskAssessed.TYPE,
                new RiskAssessed(event.data().userId(), score.score(), score.decision()), SignupTopology.RISK_ASSESSED));
    }
}
