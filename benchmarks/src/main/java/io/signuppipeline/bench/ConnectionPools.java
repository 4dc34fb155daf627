package io.signuppipeline.bench;

import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.Map;

/**
 * How many database connections the running services may open, read from each one's own metrics
 * (Hikari's {@code hikaricp_connections_max}) rather than written here a second time: the report's
 * header and pgbench's clients follow the services' defaults when they move, and any override a run
 * is given.
 *
 * @param api the API's pool
 * @param workers the smallest and the largest of the workers' pools
 */
record ConnectionPools(int api, IntSummaryStatistics workers) {

    private static final String METRIC = "hikaricp_connections_max{";

    static ConnectionPools of(Map<String, ServiceProcess> services) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            IntSummaryStatistics workers = new IntSummaryStatistics();
            int api = 0;
            for (ServiceProcess service : services.values()) {
                int pool = maximum(http, service);
                if (service.name().equals(ServicePipeline.API)) {
                    api = pool;
                } else {
                    workers.accept(pool);
                }
            }
            return new ConnectionPools(api, workers);
        }
    }

    /** "4", or "4 to 5" when the workers differ. */
    String perWorker() {
        return Markdown.range(workers);
    }

    /** The pool's maximum in a Prometheus scrape: {@code hikaricp_connections_max{pool="..."} 12.0}. */
    static int maximumIn(String scrape) {
        return scrape.lines().filter(line -> line.startsWith(METRIC))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .mapToInt(value -> (int) Double.parseDouble(value))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + METRIC + "...} in the scrape"));
    }

    private static int maximum(HttpClient http, ServiceProcess service) {
        return maximumIn(Actuator.read(http, service, "prometheus"));
    }
}
