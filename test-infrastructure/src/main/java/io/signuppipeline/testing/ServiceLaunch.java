package io.signuppipeline.testing;

import java.io.File;
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
import java.util.stream.Stream;

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
     * Runs a worker at {@link #WORKER_NICENESS}, as scripts/local.sh does, in a session of its own whose
     * scheduling group gets the same nice value. Where the kernel groups processes by session
     * (autogroup), a process's nice value only ranks it within its own session, and PostgreSQL and
     * RabbitMQ each run in theirs. Each step execs the next, so the pid stays the service's. Where
     * there is no {@code setsid} (macOS), nice alone.
     */
    private static final List<String> AT_LOWER_PRIORITY = onPath("setsid")
            ? List.of("setsid", "sh", "-c",
                    "{ echo \"$0\" > /proc/self/autogroup; } 2> /dev/null; exec nice -n \"$0\" \"$@\"",
                    WORKER_NICENESS)
            : List.of("nice", "-n", WORKER_NICENESS);

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

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, program)));
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
