package io.signuppipeline.api.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the dashboard shows and where it finds the workers.
 *
 * @param latest how many of the latest signups the page lists
 * @param figuresInterval how often the queue figures, rates and breakers are read while someone watches
 * @param workerTimeout how long a worker may take to answer a health read or a replay
 * @param streamTimeout how long one event stream stays open; the browser then reconnects and gets a fresh snapshot
 * @param workers each worker's base address by service name ({@code email-worker}, ...); a worker
 *        without one shows its breaker as unknown and cannot be asked to replay
 */
@ConfigurationProperties("signup.dashboard")
@Validated
record DashboardProperties(
        @DefaultValue("20") @Min(1) @Max(200) int latest,
        @DefaultValue("2s") Duration figuresInterval,
        @DefaultValue("2s") Duration workerTimeout,
        @DefaultValue("10m") Duration streamTimeout,
        Map<String, WorkerAddress> workers) {

    DashboardProperties {
        workers = workers == null ? Map.of() : Map.copyOf(workers);
    }

    /** The worker's base address, if one is configured. */
    Optional<URI> addressOf(String worker) {
        return Optional.ofNullable(workers.get(worker)).map(WorkerAddress::url).filter(url -> !url.isBlank())
                .map(URI::create);
    }

    /**
     * One worker's address.
     *
     * @param url its base address, e.g. {@code http://127.0.0.1:8081}; empty for none
     */
    record WorkerAddress(@DefaultValue("") String url) {
    }
}
