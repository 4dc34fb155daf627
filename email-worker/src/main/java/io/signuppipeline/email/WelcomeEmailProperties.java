package io.signuppipeline.email;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the welcome email says and who it comes from.
 *
 * @param from the sender address
 * @param appName the product name the email welcomes people to
 * @param smtpConnections the most SMTP connections open at once, each kept from one email to the
 *        next: also the most emails being sent at once
 */
@ConfigurationProperties("worker.email")
@Validated
record WelcomeEmailProperties(
        @DefaultValue("welcome@signup-pipeline.local") @NotBlank String from,
        @DefaultValue("Signup Pipeline") @NotBlank String appName,
        @DefaultValue("4") @Positive int smtpConnections) {
}
