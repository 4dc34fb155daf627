package io.signuppipeline.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import io.signuppipeline.testing.TestServices;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What {@code /actuator/prometheus} shows of the API and the worker queues.
 */
@SignupApiTest
class PipelineMetricsTests {

    @LocalServerPort
    int port;

    @Test
    void signupsAcceptedCountsEachCommittedSignup() {
        ApiClient api = new ApiClient(port);
        double before = value(api, "signups_accepted_total");

        api.signUp("metrics-" + UUID.randomUUID() + "@example.com", "Ada");
        api.signUp("metrics-" + UUID.randomUUID() + "@example.com", "Grace");

        assertThat(value(api, "signups_accepted_total")).isEqualTo(before + 2);
        assertThat(scrape(api)).contains("outbox_oldest_pending_age_seconds", "outbox_publish_total");
    }

    @Test
    void workerQueueDepthsAreGaugesTaggedWithTheQueue() {
        ApiClient api = new ApiClient(port);
        try (TestQueues queues = new TestQueues(TestServices.get().rabbitMq())) {
            queues.fill("billing-worker.user-signed-up.dlq", 3);

            // The management API refreshes its figures every few seconds, and the gauges read a snapshot.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    value(api, "pipeline_queue_parked{queue=\"billing-worker.user-signed-up\"}") == 3);
        }
        assertThat(scrape(api)).contains("pipeline_queue_consumers{queue=\"email-worker.user-signed-up\"}",
                "pipeline_queue_ready{queue=\"notify-worker.user-signed-up\"}");
    }

    private static String scrape(ApiClient api) {
        return api.get("/actuator/prometheus").http().body();
    }

    private static double value(ApiClient api, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + "(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape(api));
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
