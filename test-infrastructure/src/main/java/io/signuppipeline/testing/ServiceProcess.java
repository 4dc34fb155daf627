package io.signuppipeline.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the pipeline, started from its own jar as a separate process, the way it runs in
 * production: its own JVM, configured through the environment and its command line.
 *
 * <p>The JVM is started directly, with no shell in between, so the process's pid is the service's
 * own: {@link #kill()} and {@link #terminate()} signal the service itself, not a wrapper that would
 * die and leave the JVM running. {@link #restart()} starts it again with the same command, the same
 * environment and the same port, as a supervisor would.
 */
public final class ServiceProcess {

    /** Longer than a worker's own shutdown phase (30 s to finish what is in flight), plus closing the context. */
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(45);

    private final ServiceLaunch launch;
    private volatile Process process;

    private ServiceProcess(ServiceLaunch launch) {
        this.launch = launch;
        this.process = launch.start();
    }

    /** Starts the module's jar; its output goes to {@code target/service-logs/<module>.log} (or, for a second instance, {@code <module>-<port>.log}). */
    public static ServiceProcess start(String module, Map<String, String> environment) {
        return start(module, environment, List.of());
    }

    /**
     * Starts the module's jar on a free port, with Spring Boot command-line arguments such as
     * {@code --spring.rabbitmq.listener.simple.prefetch=10}.
     */
    public static ServiceProcess start(String module, Map<String, String> environment, List<String> arguments) {
        return new ServiceProcess(ServiceLaunch.of(module, environment, arguments));
    }

    public String name() {
        return launch.name();
    }

    public int port() {
        return launch.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + launch.port();
    }

    /** The pid of the running JVM, the one the signals go to. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a service that has exited: 137 (128 + 9) after {@link #kill()}. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Where the service's output goes, kept across restarts. */
    public Path log() {
        return launch.log();
    }

    /** Whether the service answers UP on /actuator/health; fails at once if the process has exited. */
    public boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name() + " exited with " + process.exitValue() + "; see " + log());
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the service is healthy, and answers how long that took. */
    public Duration awaitHealthy(Duration atMost) {
        long started = System.nanoTime();
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(this::healthy);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * SIGKILL ({@code kill -9}): the service gets no chance to finish anything, as when a machine or a
     * container dies. Answers the time from the signal until the operating system reported the exit.
     */
    public Duration kill() {
        long signalled = System.nanoTime();
        process.toHandle().destroyForcibly();
        awaitExit();
        return Duration.ofNanos(System.nanoTime() - signalled);
    }

    /**
     * SIGTERM: the service shuts down gracefully, as under an orchestrator's stop. Answers how long it
     * took to exit; a service still running after 45 s is killed and the failure reported.
     */
    public Duration terminate() {
        long signalled = System.nanoTime();
        process.toHandle().destroy();
        if (!awaitExit()) {
            process.toHandle().destroyForcibly();
            awaitExit();
            throw new IllegalStateException(name() + " ignored SIGTERM for " + GRACE_PERIOD.toSeconds()
                    + " s and was killed; see " + log());
        }
        return Duration.ofNanos(System.nanoTime() - signalled);
    }

    /** Starts the service again, exactly as before; it must have exited. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name() + " is still running (pid " + process.pid() + ")");
        }
        process = launch.start();
    }

    /** Stops the service at the end of a test, if it still runs: SIGTERM, then a kill if it does not exit. */
    public void stop() {
        if (process.isAlive()) {
            try {
                terminate();
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + process.pid() + ", port " + port() + ")";
    }

    private boolean awaitExit() {
        try {
            return process.waitFor(GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
