package io.signuppipeline.faultinjection;

import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator asks a worker over HTTP: the state of its circuit breaker, from
 * {@code /actuator/health}, and the replay of its dead-letter queue.
 */
final class WorkerAdmin {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private WorkerAdmin() {
    }

    /** CLOSED, OPEN or HALF_OPEN; "unknown" when the worker does not answer. */
    static String breaker(ServiceProcess worker) {
        try {
            JsonNode health = JSON.readTree(send(worker, HttpRequest.newBuilder(
                    URI.create(worker.baseUrl() + "/actuator/health")).timeout(Duration.ofSeconds(2)).build()));
            return health.path("components").path("downstream").path("details").path("breaker").asString("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * {@code POST /admin/dead-letters/replay} as the operator: answers how many parked messages went
     * back to the queue.
     */
    static int replay(ServiceProcess worker, String adminPassword) {
        String credential = Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                .getBytes(StandardCharsets.UTF_8));
        try {
            String answer = send(worker, HttpRequest.newBuilder(URI.create(worker.baseUrl()
                    + "/admin/dead-letters/replay")).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Basic " + credential).timeout(TIMEOUT).build());
            return JSON.readTree(answer).path("replayed").asInt(-1);
        } catch (IOException e) {
            throw new IllegalStateException("Replay on " + worker + " failed", e);
        }
    }

    private static String send(ServiceProcess worker, HttpRequest request) throws IOException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400 && response.statusCode() != 503) {
                throw new IOException(worker + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }
}
