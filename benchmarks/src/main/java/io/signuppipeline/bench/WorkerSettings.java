package io.signuppipeline.bench;

import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
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
                    settings.add(Actuator.read(http, service, "info"), niceIn(stat(service.pid())));
                }
            }
        }
        return settings;
    }

    /** "per worker 4 consumers taking batches of up to 50 with a prefetch of 100, at nice 10" */
    String describe() {
        return "per worker " + range(consumers) + " consumers taking batches of up to " + range(batchSize)
                + " with a prefetch of " + range(prefetch) + ", at nice " + range(nice);
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

    /** The nice value in a /proc/PID/stat line: its 19th field, counted past the command in parentheses. */
    static int niceIn(String stat) {
        String[] afterCommand = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(afterCommand[19 - 3]);
    }

    private static String range(IntSummaryStatistics values) {
        return values.getMin() == values.getMax() ? Integer.toString(values.getMax())
                : values.getMin() + " to " + values.getMax();
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the state of process " + pid, e);
        }
    }
}
