package io.signuppipeline.api.pipeline;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the queue figures come from, and how long a worker queue may go without a consumer before
 * the {@code pipeline} health turns DOWN.
 *
 * @param consumerAbsenceLimit how long a worker queue may have no consumer; a worker restarting
 *        takes seconds, one that is gone stays gone
 * @param management the broker's management HTTP API
 */
@ConfigurationProperties("signup.pipeline")
@Validated
record PipelineProperties(
        @DefaultValue("2m") Duration consumerAbsenceLimit,
        @Valid @NotNull Management management) {

    /**
     * RabbitMQ's management HTTP API; application.yml defaults the credentials and vhost to the
     * ones the API connects to the broker with.
     *
     * @param url the API's base address, e.g. {@code http://localhost:15672}
     * @param username a user that may read the vhost's queues
     * @param password its password
     * @param virtualHost the vhost whose queues are reported
     * @param timeout how long to wait for a connection and for the answer: a status page must not hang
     */
    record Management(
            @NotNull URI url,
            @NotBlank String username,
            @NotNull String password,
            @NotBlank String virtualHost,
            @DefaultValue("2s") Duration timeout) {
    }
}
