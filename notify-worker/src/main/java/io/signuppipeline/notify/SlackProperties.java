package io.signuppipeline.notify;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Slack incoming webhook new signups are posted to.
 *
 * @param webhookUrl the webhook; a secret in real deployments, so it comes from the environment
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for Slack's answer
 */
@ConfigurationProperties("worker.slack")
@Validated
record SlackProperties(
        @NotNull URI webhookUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout) {
}
