package io.signuppipeline.notify;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.DownstreamHttp;
import io.signuppipeline.messaging.worker.Effect;
import io.signuppipeline.messaging.worker.SignupStep;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Posts each new signup to a Slack channel through an incoming webhook.
 *
 * <p>Webhooks take no idempotency key: a worker that dies after Slack accepted the post and before
 * the commit posts again on redelivery. Every other redelivery finds the event in the inbox.
 */
@Component
class SlackAnnouncements implements SignupStep<Boolean> {

    private final RestClient slack;
    private final SlackProperties properties;
    private final JdbcTemplate jdbc;

    SlackAnnouncements(RestClient.Builder http, DownstreamHttp downstream, SlackProperties properties,
            JdbcTemplate jdbc) {
        this.slack = http.requestFactory(downstream.requestFactory(properties.connectTimeout(),
                properties.readTimeout())).build();
        this.properties = properties;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return SignupTopology.NOTIFY_STEP;
    }

    @Override
    public Boolean on(CloudEvent<UserSignedUp> event) {
        slack.post()
                .uri(properties.webhookUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .body(SlackMessage.announcing(event.data().name(), event.data().email()).webhookBody())
                .retrieve()
                .toBodilessEntity();
        return true;
    }

    /** Records the posts; Slack answers only "ok", so the step has no detail. */
    @Override
    public void record(List<Effect<Boolean>> posts) {
        jdbc.batchUpdate("INSERT INTO slack_announcements (event_id, signup_id) VALUES (?, ?)", posts, posts.size(),
                (insert, post) -> {
                    insert.setObject(1, post.event().id());
                    insert.setObject(2, post.event().data().userId());
                });
    }
}
