package io.signuppipeline.bench;

import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the machine spent on a measurement, counted as it is spent: PostgreSQL's committed
 * transactions in the run's database ({@code pg_stat_database.xact_commit}), the broker's message
 * operations in the run's vhost (its management statistics: publishes, deliveries and
 * acknowledgements), and each process's CPU time. Two readings, before and after, divided by the
 * signups in between, give the cost of one signup.
 *
 * @param transactions transactions committed in the run's database so far
 * @param broker the vhost's message counters so far, by operation
 * @param cpuSeconds CPU time used so far, per process
 * @param jvms the services' CPU time spent compiling and collecting garbage so far, per service
 */
record Costs(long transactions, Map<String, Long> broker, Map<String, Double> cpuSeconds,
        Map<String, JvmThreads> jvms) {

    /** The broker's counters that make up one message's trip: in, out and settled. */
    static final Map<String, String> BROKER_OPERATIONS = Map.of("publish", "published", "deliver_get", "delivered",
            "ack", "acknowledged");

    private static final Duration BROKER_STATISTICS_INTERVAL = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Costs read(BenchPipeline pipeline) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        ProcessStats.all(pipeline.services(), false).forEach((process, stats) -> cpu.put(process, stats.cpuSeconds()));
        Map<String, JvmThreads> jvms = new LinkedHashMap<>();
        pipeline.services().forEach((name, service) -> jvms.put(name, JvmThreads.of(service.pid())));
        return new Costs(pipeline.ledger().committedTransactions(), brokerCounters(pipeline.run().rabbitMq()), cpu,
                jvms);
    }

    /**
     * A reading once the broker's statistics have caught up with the work done so far: the
     * management plugin refreshes them every 5 s, so a reading taken at once would leave the last
     * seconds of the previous measurement (PerfTest, in the same vhost) to be counted in the next.
     */
    static Costs settled(BenchPipeline pipeline) {
        LockSupport.parkNanos(BROKER_STATISTICS_INTERVAL.plusSeconds(1).toNanos());
        return read(pipeline);
    }

    /**
     * This reading with the broker's counters read again: the management plugin refreshes them every
     * 5 s, so the last operations of a measurement show only that much later.
     */
    Costs withBrokerCountersOf(BenchPipeline pipeline) {
        LockSupport.parkNanos(BROKER_STATISTICS_INTERVAL.plusSeconds(1).toNanos());
        return new Costs(transactions, brokerCounters(pipeline.run().rabbitMq()), cpuSeconds, jvms);
    }

    /** Per signup, from {@code before} to this reading. */
    PerSignup since(Costs before, int signups) {
        Map<String, Double> broker = new LinkedHashMap<>();
        this.broker.forEach((operation, count) ->
                broker.put(operation, (count - before.broker.getOrDefault(operation, 0L)) / (double) signups));
        Map<String, Double> cpuMillis = new LinkedHashMap<>();
        cpuSeconds.forEach((process, seconds) -> cpuMillis.put(process,
                1_000 * (seconds - before.cpuSeconds.getOrDefault(process, seconds)) / signups));
        Map<String, double[]> jvmMillis = new LinkedHashMap<>();
        jvms.forEach((service, threads) -> {
            JvmThreads earlier = before.jvms.getOrDefault(service, threads);
            jvmMillis.put(service, new double[] {
                    1_000 * (threads.compilingSeconds() - earlier.compilingSeconds()) / signups,
                    1_000 * (threads.collectingSeconds() - earlier.collectingSeconds()) / signups});
        });
        return new PerSignup(signups, (transactions - before.transactions) / (double) signups, broker, cpuMillis,
                jvmMillis);
    }

    /**
     * One signup's share of the work.
     *
     * @param signups how many signups it was averaged over
     * @param transactions PostgreSQL transactions committed
     * @param broker broker operations, by operation
     * @param cpuMillis CPU milliseconds, per process
     * @param jvmMillis of a service's CPU milliseconds, those its JIT compilers and its garbage
     *        collector took, in that order
     */
    record PerSignup(int signups, double transactions, Map<String, Double> broker, Map<String, Double> cpuMillis,
            Map<String, double[]> jvmMillis) {

        double cpuMillisTotal() {
            return cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double brokerOperations() {
            return broker.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private static Map<String, Long> brokerCounters(TestServices.RabbitMq rabbitMq) {
        String credentials = rabbitMq.username() + ":" + rabbitMq.password();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rabbitMq.managementUrl() + "/api/vhosts/"
                        + URLEncoder.encode(rabbitMq.virtualHost(), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("The management API answered " + answer.statusCode() + " for the vhost");
            }
            JsonNode stats = JSON.readTree(answer.body()).path("message_stats");
            Map<String, Long> counters = new LinkedHashMap<>();
            BROKER_OPERATIONS.keySet().stream().sorted().forEach(operation ->
                    counters.put(operation, stats.path(operation).asLong(0)));
            return counters;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the broker's statistics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the broker's statistics", e);
        }
    }
}
