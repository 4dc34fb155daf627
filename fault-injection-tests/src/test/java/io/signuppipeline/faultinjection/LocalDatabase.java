package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The machine's PostgreSQL cluster, stopped and started with {@code pg_ctlcluster} as on CI (see
 * {@code .ci/run}). The stop is a fast shutdown: every open connection is cut and in-flight
 * transactions roll back, as when a database server fails.
 */
final class LocalDatabase {

    private LocalDatabase() {
    }

    static Outage stop() {
        return Outage.begin("PostgreSQL", () -> pgCtlCluster("--mode=fast", "stop"), LocalDatabase::start);
    }

    /** Starts the cluster unless it already accepts connections, and waits until it does. */
    static void start() {
        if (!ready()) {
            pgCtlCluster("start");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(LocalDatabase::ready);
    }

    /** Whether the server the tests use (SIGNUP_TEST_POSTGRES_URL, as in TestServices) accepts connections. */
    static boolean ready() {
        String url = System.getenv().getOrDefault("SIGNUP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        URI server = URI.create(url.substring("jdbc:".length()));
        int port = server.getPort() < 0 ? 5432 : server.getPort();
        return Commands.succeeds("pg_isready", "-q", "-h", server.getHost(), "-p", String.valueOf(port));
    }

    /** Runs pg_ctlcluster on the machine's one cluster, e.g. {@code 15 main}, found as .ci/run finds it. */
    private static void pgCtlCluster(String... optionsThenAction) {
        String[] versions = new File("/etc/postgresql").list();
        if (versions == null || versions.length != 1) {
            throw new IllegalStateException("Expected one PostgreSQL version under /etc/postgresql, found "
                    + Arrays.toString(versions));
        }
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect"));
        List<String> arguments = List.of(optionsThenAction);
        command.addAll(arguments.subList(0, arguments.size() - 1));
        command.addAll(List.of(versions[0], "main", arguments.getLast()));
        Commands.run(command.toArray(String[]::new));
    }
}
