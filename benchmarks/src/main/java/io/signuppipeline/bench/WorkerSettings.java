package io.signuppipeline.bench;

import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the running workers consume, as each reports it ({@code consumers} in its
 * {@code /actuator/info}), and the nice value each runs at (/proc): the report's header states the
 * settings that were measured, whatever the defaults are now and whatever a run overrides.
 *
 * @param consumers the workers' consumers each
 * @param batchSize the batch each consumer handles at once
 * @param prefetch each consumer's prefetch
 * @param nice the workers' nice value
 */
record WorkerSettings(IntSummaryStatistics consumers, IntSummaryStatistics batchSize, IntSummaryStatistics prefetch,
        IntSummaryStatistics nice) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WorkerSettings of(Map<String, ServiceProcess> services) {
        WorkerSettings settings = new WorkerSettings(new IntSummaryStatistics(), new IntSummaryStatistics(),
                new IntSummaryStatistics(), new IntSummaryStatistics());
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            for (ServiceProcess service : services.values()) {
                if (!service.name().equals(ServicePipeline.API)) {
                    settings.add(Actuator.read(http, service, "info"), ProcessStats.niceOf(service.pid()));
                }
            }
        }
        return settings;
    }

    /** "per worker 4 consumers taking batches of up to 50 with a prefetch of 100, at nice 10" */
    String describe() {
        return "per worker " + Markdown.range(consumers) + " consumers taking batches of up to "
                + Markdown.range(batchSize) + " with a prefetch of " + Markdown.range(prefetch) + ", at nice "
                + Markdown.range(nice);
    }

    void add(String info, int niceValue) {
        JsonNode reported = JSON.readTree(info).path("consumers");
        if (!reported.has("concurrency")) {
            throw new IllegalStateException("no consumers in /actuator/info: " + info);
        }
        consumers.accept(reported.path("concurrency").asInt());
        batchSize.accept(reported.path("batchSize").asInt());
        prefetch.accept(reported.path("prefetch").asInt());
        nice.accept(niceValue);
    }
}
