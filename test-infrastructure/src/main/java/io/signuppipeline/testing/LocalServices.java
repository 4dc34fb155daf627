package io.signuppipeline.testing;

import static io.signuppipeline.testing.RabbitManagement.encode;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provisions a fresh database and vhost on services that already run, found through environment
 * variables or on their default local ports, and removes both when the JVM exits.
 */
final class LocalServices {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String ADMIN_URL = env("SIGNUP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = env("SIGNUP_TEST_POSTGRES_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("SIGNUP_TEST_POSTGRES_PASSWORD", "");

    private LocalServices() {
    }

    static TestServices provision() {
        String name = "signup_test_" + LocalDateTime.now().format(STAMP) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        TestServices.Postgres postgres = createDatabase(name);
        TestServices.RabbitMq rabbitMq = createVhost(name);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            dropDatabase(name);
            dropRoles(name);
            deleteVhost(rabbitMq);
            deleteUsers(rabbitMq);
        }));
        return new TestServices(postgres, rabbitMq);
    }

    private static TestServices.Postgres createDatabase(String name) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD)) {
            admin.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL for the tests at " + ADMIN_URL + " as " + ADMIN_USER
                    + " (" + e.getMessage() + "). Start one, set SIGNUP_TEST_POSTGRES_URL/_USER/_PASSWORD, "
                    + "or run with a Docker engine.", e);
        }
        int slash = ADMIN_URL.lastIndexOf('/');
        return new TestServices.Postgres(ADMIN_URL.substring(0, slash + 1) + name, ADMIN_USER, ADMIN_PASSWORD);
    }

    private static void dropDatabase(String name) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    /** The services' roles that scripts/provision.sh named after this run's database. */
    private static void dropRoles(String database) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD)) {
            List<String> roles = new ArrayList<>();
            try (PreparedStatement query = admin.prepareStatement(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?)")) {
                query.setString(1, database + "_");
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        roles.add(rows.getString(1));
                    }
                }
            }
            for (String role : roles) {
                admin.createStatement().execute("DROP ROLE IF EXISTS \"" + role + "\"");
            }
        } catch (SQLException e) {
            System.err.println("Could not drop the roles of test database " + database + ": " + e.getMessage());
        }
    }

    /** The services' users that scripts/provision.sh named after this run's vhost. */
    private static void deleteUsers(TestServices.RabbitMq rabbitMq) {
        try {
            Matcher names = Pattern.compile("\"name\":\"([^\"]+)\"")
                    .matcher(RabbitManagement.call(rabbitMq, "GET", "/api/users", null));
            while (names.find()) {
                if (names.group(1).startsWith(rabbitMq.virtualHost() + ".")) {
                    RabbitManagement.call(rabbitMq, "DELETE", "/api/users/" + encode(names.group(1)), null);
                }
            }
        } catch (Exception e) {
            System.err.println("Could not delete the users of test vhost " + rabbitMq.virtualHost() + ": "
                    + e.getMessage());
        }
    }

    private static TestServices.RabbitMq createVhost(String name) {
        TestServices.RabbitMq rabbitMq = new TestServices.RabbitMq(
                env("SIGNUP_TEST_RABBITMQ_HOST", "127.0.0.1"),
                Integer.parseInt(env("SIGNUP_TEST_RABBITMQ_PORT", "5672")),
                env("SIGNUP_TEST_RABBITMQ_USER", "guest"),
                env("SIGNUP_TEST_RABBITMQ_PASSWORD", "guest"),
                name,
                env("SIGNUP_TEST_RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672"));
        String vhost = "/api/vhosts/" + encode(name);
        String permissions = "/api/permissions/" + encode(name) + "/" + encode(rabbitMq.username());
        try {
            RabbitManagement.call(rabbitMq, "PUT", vhost, "{}");
            RabbitManagement.call(rabbitMq, "PUT", permissions,
                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        } catch (ConnectException e) {
            throw new IllegalStateException("No RabbitMQ management API for the tests at " + rabbitMq.managementUrl()
                    + ". Enable it (rabbitmq-plugins enable rabbitmq_management), "
                    + "set SIGNUP_TEST_RABBITMQ_MANAGEMENT_URL, or run with a Docker engine.", e);
        }
        return rabbitMq;
    }

    private static void deleteVhost(TestServices.RabbitMq rabbitMq) {
        try {
            RabbitManagement.call(rabbitMq, "DELETE", "/api/vhosts/" + encode(rabbitMq.virtualHost()), null);
        } catch (Exception e) {
            System.err.println("Could not delete test vhost " + rabbitMq.virtualHost() + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
