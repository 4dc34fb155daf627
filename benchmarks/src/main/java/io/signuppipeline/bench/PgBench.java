package io.signuppipeline.bench;

import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine's PostgreSQL does with the API's own work and nothing else: {@code pgbench}
 * running the two inserts of a signup (the user row and its outbox row) in one transaction, into
 * copies of the two tables, with as many clients as the API has database connections.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    /** The same statements the API runs, with a payload of the size of a real user.signed_up envelope. */
    private static final String SCRIPT = """
            BEGIN;
            INSERT INTO pgbench_signup.users (id, email, name, status, created_at)
                VALUES (gen_random_uuid(), 'pgbench-' || gen_random_uuid() || '@bench.example.com', 'Bench User', 'ACTIVE', now())
                ON CONFLICT (lower(email)) DO NOTHING;
            INSERT INTO pgbench_signup.outbox (id, signup_id, event_type, routing_key, payload, occurred_at, traceparent)
                VALUES (gen_random_uuid(), gen_random_uuid(), 'user.signed_up', 'user.signed_up', '%s', now(),
                        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
            COMMIT;
            """.formatted("x".repeat(520));

    private PgBench() {
    }

    /**
     * @param transactionsPerSecond signups per second the database alone commits
     * @param clients concurrent clients
     * @param seconds how long it ran
     */
    record Result(double transactionsPerSecond, int clients, long seconds) {

        /** How long this machine's database needs for {@code transactions} signups. */
        double secondsFor(int transactions) {
            return transactions / transactionsPerSecond;
        }
    }

    /** pgbench as fast as it goes, with {@code clients} at once: the API's connections. */
    static Result run(TestServices.Postgres postgres, int clients, Duration duration) {
        createTables(postgres);
        String output = pgbench(postgres, List.of("--client=" + clients, "--time=" + duration.toSeconds()), null);
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no rate:\n" + output);
        }
        return new Result(Double.parseDouble(tps.group(1)), clients, duration.toSeconds());
    }

    /**
     * The database's own answer times for the API's transaction at a fixed rate, as the API's are
     * measured: from each transaction's scheduled start (pgbench's {@code --rate}), so a stall counts
     * for every transaction it delays. Nothing can answer a signup faster than this.
     *
     * @return every transaction's latency in microseconds, sorted
     */
    static long[] latencyAt(TestServices.Postgres postgres, int clients, int rate, Duration duration) {
        createTables(postgres);
        try {
            Path logs = Files.createTempDirectory("pgbench-");
            pgbench(postgres, List.of("--client=" + clients, "--rate=" + rate, "--time=" + duration.toSeconds(),
                    "--log", "--log-prefix=" + logs.resolve("latency")), logs);
            List<Long> micros = new ArrayList<>();
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    for (String line : Files.readAllLines(log)) {
                        // client, transaction, latency (us), script, epoch, us, schedule lag (us)
                        String[] fields = line.split(" ");
                        micros.add(Long.parseLong(fields[2]) + (fields.length > 6 ? Long.parseLong(fields[6]) : 0));
                    }
                    Files.delete(log);
                }
            }
            Files.delete(logs);
            return micros.stream().mapToLong(Long::longValue).sorted().toArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read pgbench's latency log", e);
        }
    }

    /** Runs pgbench with the signup script and answers what it printed; fails if it failed. */
    private static String pgbench(TestServices.Postgres postgres, List<String> options, Path workingDirectory) {
        URI database = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
        try {
            Path script = Files.createTempFile("signup-", ".pgbench");
            Files.writeString(script, SCRIPT);
            List<String> command = new ArrayList<>(List.of("pgbench", "--no-vacuum", "--jobs=2"));
            command.addAll(options);
            command.addAll(List.of("--file=" + script,
                    "--host=" + database.getHost(), "--port=" + (database.getPort() < 0 ? 5432 : database.getPort()),
                    "--username=" + postgres.username(), database.getPath().substring(1)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            Process pgbench = builder.start();
            String output = new String(pgbench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = pgbench.waitFor();
            Files.deleteIfExists(script);
            if (exit != 0) {
                throw new IllegalStateException("pgbench failed (exit " + exit + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run pgbench: is PostgreSQL's client installed?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pgbench ran", e);
        }
    }

    /** Copies of the API's two tables, with their indexes and constraints, in a schema of their own. */
    private static void createTables(TestServices.Postgres postgres) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                postgres.password()); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS pgbench_signup CASCADE");
            statement.execute("CREATE SCHEMA pgbench_signup");
            statement.execute("CREATE TABLE pgbench_signup.users (LIKE signup.users INCLUDING ALL)");
            statement.execute("CREATE TABLE pgbench_signup.outbox (LIKE signup.outbox INCLUDING ALL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create pgbench's tables", e);
        }
    }
}
