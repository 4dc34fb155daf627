package io.signuppipeline.fraud;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the third-party scoring API is, and how long to wait for it.
 *
 * @param scoreUrl the scoring endpoint
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for the answer; a slow API then counts as failed, and the event is retried
 */
@ConfigurationProperties("worker.fraud")
@Validated
record FraudApiProperties(
        @NotNull URI scoreUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout) {
}
