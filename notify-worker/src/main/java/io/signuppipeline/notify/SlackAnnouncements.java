package io.signuppipeline.notify;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.SignupStep;
import java.net.http.HttpClient;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;

    SlackAnnouncements(RestClient.Builder http, SlackProperties properties, JdbcClient jdbc) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(properties.connectTimeout()).build());
        requests.setReadTimeout(properties.readTimeout());
        this.slack = http.requestFactory(requests).build();
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

    /** Records the post; Slack answers only "ok", so the step has no detail. */
    @Override
    public String record(CloudEvent<UserSignedUp> event, Boolean posted) {
        jdbc.sql("INSERT INTO slack_announcements (event_id, signup_id) VALUES (:eventId, :signupId)")
                .param("eventId", event.id())
                .param("signupId", event.data().userId())
                .update();
        return null;
    }
}
