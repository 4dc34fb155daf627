package io.signuppipeline.billing;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach Stripe.
 *
 * @param apiKey the secret API key; never committed, only local mock keys have a default
 * @param apiBase Stripe's address; the tests and the local runner point it at WireMock
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer
 */
@ConfigurationProperties("worker.stripe")
@Validated
record StripeProperties(
        @NotBlank String apiKey,
        @DefaultValue("https://api.stripe.com") @NotBlank String apiBase,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout) {
}
