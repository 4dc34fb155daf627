package io.signuppipeline.testing;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.events.Worker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signup API and the four workers, each started from its own jar as a separate process, all
 * with the same {@link ServiceEnvironment}; started together and ready once every one is healthy
 * and the API knows each worker's step. Each worker announces its own address with its step, so the
 * API's dashboard reads its breaker and passes a replay on with no address configured.
 */
public final class ServicePipeline implements AutoCloseable {

    public static final String API = "signup-api";
    /** The workers of the roster ({@link Worker#ALL}). */
    public static final List<String> WORKERS = Worker.services();

    /**
     * Five JVMs starting at once on two cores take one to two minutes, the cluster suite's ten over three;
     * a broken one fails sooner, by exiting.
     */
    private static final Duration STARTUP = Duration.ofSeconds(300);
    /** A worker announces its step as it starts, and tries again within seconds when nobody took it. */
    private static final Duration STEPS_KNOWN = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServiceProcess api;
    private final List<ServiceProcess> workers;

    private ServicePipeline(ServiceProcess api, List<ServiceProcess> workers) {
        this.api = api;
        this.workers = workers;
    }

    /** Starts the five services with their default settings. */
    public static ServicePipeline start(Map<String, String> environment) {
        return start(environment, List.of(), List.of());
    }

    /**
     * Starts the five services, the API with {@code apiArguments} and every worker with
     * {@code workerArguments} on its command line, and waits until all are healthy.
     */
    public static ServicePipeline start(Map<String, String> environment, List<String> apiArguments,
            List<String> workerArguments) {
        ServiceProcess api = ServiceProcess.start(API, environment, apiArguments);
        List<ServiceProcess> workers = new ArrayList<>();
        ServicePipeline pipeline = new ServicePipeline(api, workers);
        try {
            WORKERS.forEach(worker -> workers.add(ServiceProcess.start(worker, environment, workerArguments)));
            return pipeline.awaitReady();
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * Whether the API has learnt every running worker's step from its announcement: {@code GET
     * /api/steps} names each worker as the service of a step that counts. Until then a new signup
     * would not wait for the missing steps.
     */
    public boolean stepsKnown() {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> steps = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/steps"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (steps.statusCode() != 200) {
                return false;
            }
            JsonNode known = JSON.readTree(steps.body());
            return workers.stream().map(ServiceProcess::name).allMatch(worker -> known.valueStream().anyMatch(step ->
                    step.path("service").asString("").equals(worker) && counts(step)));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean counts(JsonNode step) {
        return step.path("retiredAt").isNull() || step.path("retiredAt").isMissingNode();
    }

    private ServicePipeline awaitReady() {
        all().forEach(service -> service.awaitHealthy(STARTUP));
        await().atMost(STEPS_KNOWN).pollInterval(Duration.ofMillis(250)).until(this::stepsKnown);
        return this;
    }

    public ServiceProcess api() {
        return api;
    }

    public List<ServiceProcess> workers() {
        return List.copyOf(workers);
    }

    public ServiceProcess worker(String name) {
        return workers.stream().filter(worker -> worker.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No worker " + name));
    }

    public List<ServiceProcess> all() {
        return Stream.concat(Stream.of(api), workers.stream()).toList();
    }

    /** Stops every service gracefully, side by side. */
    @Override
    public void close() {
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            all().forEach(service -> stopping.submit(service::stop));
        }
    }
}
