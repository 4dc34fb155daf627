package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.status.Step;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * The workers' own HTTP endpoints, at the address each announced with its step: the circuit breaker
 * from {@code /actuator/health}, and {@code POST /admin/dead-letters/replay}.
 *
 * <p>The admin password is the one the person typed into the page; it is passed on once and kept
 * nowhere.
 */
@Component
class WorkerEndpoints {

    static final String UNKNOWN = "unknown";
    static final String NO_ANSWER = "no answer";
    private static final String ADMIN = "admin";

    private final RestClient http;

    /** Over the HTTP client Spring Boot configures, with the dashboard's timeout for a worker's answer. */
    WorkerEndpoints(RestClient.Builder http, ClientHttpRequestFactoryBuilder<?> requests, DashboardProperties properties) {
        Duration timeout = properties.workerTimeout();
        this.http = http.clone().requestFactory(requests.build(HttpClientSettings.defaults().withTimeouts(timeout, timeout)))
                .build();
    }

    /**
     * The breaker's state as the worker reports it under {@code components.downstream}: CLOSED,
     * OPEN or HALF_OPEN; {@value #UNKNOWN} when the worker announced no address, {@value #NO_ANSWER}
     * when it does not answer in time or answers without a breaker.
     */
    String breaker(Step step) {
        return address(step).map(this::breakerAt).orElse(UNKNOWN);
    }

    private static Optional<URI> address(Step step) {
        return Optional.ofNullable(step.url()).filter(url -> !url.isBlank()).map(URI::create);
    }

    private String breakerAt(URI base) {
        try {
            // A worker whose database is down answers 503 with the same body; the breaker is still in it.
            JsonNode health = http.get().uri(base.resolve("/actuator/health")).retrieve()
                    .onStatus(HttpStatusCode::isError, (request, response) -> { })
                    .body(JsonNode.class);
            JsonNode breaker = health == null ? null
                    : health.path("components").path("downstream").path("details").path("breaker");
            return breaker != null && breaker.isString() ? breaker.asString() : NO_ANSWER;
        } catch (RestClientException | IllegalArgumentException e) {
            return NO_ANSWER;
        }
    }

    /**
     * Asks the worker to move up to {@code limit} parked messages back to its queue.
     *
     * @return how many it moved
     * @throws ReplayRefused when the worker refuses the password
     * @throws WorkerUnavailable when the worker has no address, does not answer or fails
     */
    int replay(Step step, String password, int limit) {
        String worker = step.service();
        URI base = address(step).orElseThrow(() -> new WorkerUnavailable(worker + " announced no address "
                + "(messaging.worker.url, e.g. EMAIL_WORKER_URL), so it cannot be asked to replay."));
        try {
            ReplayAnswer answer = http.post()
                    .uri(base.resolve("/admin/dead-letters/replay?limit=" + limit))
                    .headers(headers -> headers.setBasicAuth(ADMIN, password, StandardCharsets.UTF_8))
                    .retrieve()
                    .onStatus(status -> status.value() == 401 || status.value() == 403, (request, response) -> {
                        throw new ReplayRefused(worker);
                    })
                    .body(ReplayAnswer.class);
            if (answer == null || answer.replayed() == null) {
                throw new WorkerUnavailable(worker + " answered the replay without a count.");
            }
            return answer.replayed();
        } catch (RestClientException e) {
            throw new WorkerUnavailable(worker + " did not replay: " + NestedExceptionUtils.getMostSpecificCause(e));
        }
    }

    /** What a worker answers to a replay. */
    record ReplayAnswer(Integer replayed) {
    }
}
