package io.signuppipeline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The signup API and the four workers, each started from its own jar as a separate process, all
 * with the same {@link ServiceEnvironment}; started together and ready once every one is healthy.
 */
public final class ServicePipeline implements AutoCloseable {

    public static final String API = "signup-api";
    public static final List<String> WORKERS = List.of("email-worker", "fraud-worker", "billing-worker",
            "notify-worker");

    /** Five JVMs starting at once on two cores take most of a minute; a broken one fails sooner, by exiting. */
    private static final Duration STARTUP = Duration.ofSeconds(120);

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
            pipeline.all().forEach(service -> service.awaitHealthy(STARTUP));
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * Starts the workers first, then the API with each one's address in its environment
     * ({@code EMAIL_WORKER_URL}, ...), as the local runner and compose give it, so that the API's
     * dashboard shows their breakers and can pass a replay on; waits until all are healthy.
     */
    public static ServicePipeline startWithWorkerAddresses(Map<String, String> environment, List<String> apiArguments) {
        List<ServiceProcess> workers = new ArrayList<>();
        try {
            WORKERS.forEach(worker -> workers.add(ServiceProcess.start(worker, environment)));
            Map<String, String> apiEnvironment = new HashMap<>(environment);
            workers.forEach(worker -> apiEnvironment.put(
                    worker.name().toUpperCase(Locale.ROOT).replace('-', '_') + "_URL", worker.baseUrl()));
            ServicePipeline pipeline = new ServicePipeline(ServiceProcess.start(API, apiEnvironment, apiArguments),
                    workers);
            try {
                pipeline.all().forEach(service -> service.awaitHealthy(STARTUP));
                return pipeline;
            } catch (RuntimeException e) {
                pipeline.close();
                throw e;
            }
        } catch (RuntimeException e) {
            workers.forEach(ServiceProcess::stop);
            throw e;
        }
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
