package io.signuppipeline.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The environment the five services read their settings from, as in production: this run's
 * database and vhost, where each service logs in as itself (its own RabbitMQ user and PostgreSQL
 * role, named after the run and created by {@code scripts/provision.sh} with fresh passwords), the mock APIs standing in for
 * the fraud API, Stripe and Slack, an SMTP server, and the workers' admin credential.
 */
public final class ServiceEnvironment {

    /** The services, as they are named on the broker; their roles and variables derive from these. */
    private static final List<String> SERVICES = Stream.concat(Stream.of(ServicePipeline.API),
            ServicePipeline.WORKERS.stream()).toList();

    /** The variable that holds the workers' admin password (user {@code admin}). */
    public static final String ADMIN_PASSWORD = "WORKER_ADMIN_PASSWORD";

    private ServiceEnvironment() {
    }

    /**
     * Provisions the services' users and roles on this run's vhost and database, and answers their
     * environment.
     *
     * @param services this run's database and vhost
     * @param mocksBaseUrl where {@link MockApis} serves {@code mocks/}
     * @param smtpPort an SMTP server on 127.0.0.1
     */
    public static Map<String, String> of(TestServices services, String mocksBaseUrl, int smtpPort) {
        Map<String, String> environment = new HashMap<>();
        TestServices.Postgres postgres = services.postgres();
        TestServices.RabbitMq rabbitMq = services.rabbitMq();
        for (String service : SERVICES) {
            String prefix = service.toUpperCase(Locale.ROOT).replace('-', '_');
            environment.put(prefix + "_DB_URL", postgres.jdbcUrl());
            environment.put(prefix + "_DB_USER", databaseName(postgres) + "_" + service.replace('-', '_'));
            environment.put(prefix + "_DB_PASSWORD", secret());
            environment.put(prefix + "_RABBITMQ_USER", rabbitMq.virtualHost() + "." + service);
            environment.put(prefix + "_RABBITMQ_PASSWORD", secret());
        }
        environment.put("RABBITMQ_HOST", rabbitMq.host());
        environment.put("RABBITMQ_PORT", String.valueOf(rabbitMq.port()));
        environment.put("RABBITMQ_VHOST", rabbitMq.virtualHost());
        environment.put("RABBITMQ_MANAGEMENT_URL", rabbitMq.managementUrl());
        environment.put(ADMIN_PASSWORD, secret());
        // The suites send thousands of signups a second from 127.0.0.1: one client, as the limit sees it.
        environment.put("SIGNUP_API_RATELIMIT_ENABLED", "false");
        environment.put("SMTP_HOST", "127.0.0.1");
        environment.put("SMTP_PORT", String.valueOf(smtpPort));
        environment.put("FRAUD_API_URL", mocksBaseUrl + "/fraud/score");
        environment.put("STRIPE_API_BASE", mocksBaseUrl + "/stripe");
        environment.put("SLACK_WEBHOOK_URL", mocksBaseUrl + "/slack/webhook");
        provision(services, environment);
        return environment;
    }

    /** A service's broker user and database role, named after the run as {@code scripts/provision.sh} names them. */
    public static String user(Map<String, String> environment, String service, String system) {
        return environment.get(service.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + system + "_USER");
    }

    private static String databaseName(TestServices.Postgres postgres) {
        return URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getPath().substring(1);
    }

    /** Runs the project's own provisioning script, the one the local runner uses. */
    private static void provision(TestServices services, Map<String, String> environment) {
        URI database = URI.create(services.postgres().jdbcUrl().substring("jdbc:".length()));
        ProcessBuilder script = new ProcessBuilder("bash", repositoryRoot().resolve("scripts/provision.sh").toString())
                .redirectErrorStream(true);
        Map<String, String> variables = script.environment();
        variables.putAll(environment);
        variables.put("DATABASE", database.getPath().substring(1));
        variables.put("VHOST", services.rabbitMq().virtualHost());
        variables.put("PG_HOST", database.getHost());
        variables.put("PG_PORT", String.valueOf(database.getPort() < 0 ? 5432 : database.getPort()));
        variables.put("PG_ADMIN_USER", services.postgres().username());
        variables.put("PGPASSWORD", services.postgres().password());
        variables.put("RABBITMQ_ADMIN_USER", services.rabbitMq().username());
        variables.put("RABBITMQ_ADMIN_PASSWORD", services.rabbitMq().password());
        try {
            Process process = script.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("scripts/provision.sh failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run scripts/provision.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning", e);
        }
    }

    /** The checkout this test runs in: the nearest directory up with {@code scripts/provision.sh}. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/provision.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No scripts/provision.sh above " + Path.of("").toAbsolutePath());
    }

    private static String secret() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
