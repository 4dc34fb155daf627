package io.signuppipeline.api.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the dashboard shows. Where it finds each worker is what the worker announced with its step.
 *
 * @param latest how many of the latest signups the page lists
 * @param figuresInterval how often the queue figures, rates and breakers are read while someone watches
 * @param workerTimeout how long a worker may take to answer a health read or a replay
 * @param streamTimeout how long one event stream stays open; the browser then reconnects and gets a fresh snapshot
 */
@ConfigurationProperties("signup.dashboard")
@Validated
record DashboardProperties(
        @DefaultValue("20") @Min(1) @Max(200) int latest,
        @DefaultValue("2s") Duration figuresInterval,
        @DefaultValue("2s") Duration workerTimeout,
        @DefaultValue("10m") Duration streamTimeout) {
}
