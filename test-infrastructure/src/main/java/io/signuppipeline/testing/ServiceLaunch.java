package io.signuppipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a service is started, kept so it can be started again exactly the same way: the JVM running
 * this test (so the services run on the same JDK), the module's jar, a port chosen once, the
 * environment and the extra arguments; output appended to one log file across restarts.
 *
 * @param name the service's module and name
 * @param port its HTTP port, the same after a restart
 * @param command the full command line
 * @param environment variables added to the inherited environment
 * @param log where stdout and stderr go
 */
record ServiceLaunch(String name, int port, List<String> command, Map<String, String> environment, Path log) {

    /**
     * The workers run at a lower CPU priority than the API, as the local runner and compose start
     * them: when the cores are busy, the users' requests are answered first and the queues wait.
     * {@code WORKER_NICENESS} in the environment overrides it, as it does for the local runner.
     */
    static final String WORKER_NICENESS = System.getenv().getOrDefault("WORKER_NICENESS", "10");

    /**
     * Runs a worker at {@link #WORKER_NICENESS} as scripts/local.sh does, through the same script: in a
     * session of its own whose scheduling group gets the same nice value. The script execs the
     * service, so the process started is the JVM.
     */
    private static final List<String> AT_LOWER_PRIORITY = List.of("sh",
            ServiceEnvironment.repositoryRoot().resolve("scripts/lower-priority.sh").toString(), WORKER_NICENESS);

    private static final Set<String> LOGS_TAKEN = ConcurrentHashMap.newKeySet();

    static ServiceLaunch of(String module, Map<String, String> environment, List<String> arguments) {
        int port = FreePorts.belowEphemeralRange();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (!module.equals(ServicePipeline.API)) {
            command.addAll(AT_LOWER_PRIORITY);
        }
        command.addAll(List.of(java, "-jar", ServiceJars.of(module).toString(), "--server.port=" + port));
        command.addAll(arguments);
        return new ServiceLaunch(module, port, List.copyOf(command), Map.copyOf(environment), freshLog(module, port));
    }

    /** Starts the service's JVM: whatever runs before it execs the next, so the process started is the JVM. */
    Process start() {
        try {
            Files.writeString(log, "==== " + Instant.now() + " starting " + name + " on port " + port + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    /**
     * {@code <module>.log} for the first instance of a module this JVM starts, {@code <module>-<port>.log}
     * for any further one, so that two instances running side by side never write to one file.
     */
    private static Path freshLog(String module, int port) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "service-logs"));
            String name = LOGS_TAKEN.add(module) ? module : module + "-" + port;
            Path log = logs.resolve(name + ".log").toAbsolutePath();
            Files.deleteIfExists(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
