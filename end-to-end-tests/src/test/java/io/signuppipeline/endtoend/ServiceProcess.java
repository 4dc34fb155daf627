package io.signuppipeline.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the pipeline, started from its own jar as a separate process, the way it runs in
 * production: its own JVM, configured only through the environment.
 *
 * @param name the service's module and name
 * @param port its HTTP port
 * @param process the running process
 */
record ServiceProcess(String name, int port, Process process) {

    /** Starts the module's jar with the given environment; its output goes to target/e2e-logs. */
    static ServiceProcess start(String module, Map<String, String> environment) {
        int port = freePort();
        Path jar = jarOf(module);
        try {
            Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(module + ".log").toFile());
            builder.environment().putAll(environment);
            return new ServiceProcess(module, port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether the service answers UP on /actuator/health. */
    boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue()
                    + "; see end-to-end-tests/target/e2e-logs/" + name + ".log");
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

    /** Stops the service as an orchestrator would: SIGTERM, then a kill if it does not exit. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path jarOf(String module) {
        Path jar = Path.of("..", module, "target", module + "-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No jar at " + jar.toAbsolutePath() + ": package the services first");
        }
        return jar;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
