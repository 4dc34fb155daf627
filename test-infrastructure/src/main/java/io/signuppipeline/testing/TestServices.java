package io.signuppipeline.testing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PostgreSQL database and RabbitMQ vhost that this test run owns, created fresh for it.
 *
 * <p>Where they come from is chosen once per JVM by {@code SIGNUP_TEST_SERVICES}: {@code local}
 * (services already running, as on the team's machines and in CI), {@code containers}
 * (Testcontainers), or unset to use containers when a Docker engine answers and local services
 * otherwise. Nothing here ever skips a test: when neither is available the first test fails and
 * says what is missing.
 *
 * @param postgres a database created for this run
 * @param rabbitMq a vhost created for this run
 */
public record TestServices(Postgres postgres, RabbitMq rabbitMq) {

    private static TestServices current;

    /** The services of this test run, provisioned on first use. */
    public static synchronized TestServices get() {
        if (current == null) {
            current = provision(System.getenv("SIGNUP_TEST_SERVICES"));
        }
        return current;
    }

    private static TestServices provision(String mode) {
        if ("local".equals(mode)) {
            return LocalServices.provision();
        }
        if ("containers".equals(mode)) {
            return ContainerServices.provision();
        }
        if (mode != null && !mode.isBlank()) {
            throw new IllegalStateException("SIGNUP_TEST_SERVICES must be 'local' or 'containers', not '" + mode + "'");
        }
        return ContainerServices.dockerAvailable() ? ContainerServices.provision() : LocalServices.provision();
    }

    /** Spring Boot properties that point a service at this run's database and vhost. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.datasource.username", postgres.username());
        properties.put("spring.datasource.password", postgres.password());
        properties.put("spring.rabbitmq.host", rabbitMq.host());
        properties.put("spring.rabbitmq.port", rabbitMq.port());
        properties.put("spring.rabbitmq.username", rabbitMq.username());
        properties.put("spring.rabbitmq.password", rabbitMq.password());
        properties.put("spring.rabbitmq.virtual-host", rabbitMq.virtualHost());
        return properties;
    }

    /**
     * A database reachable over JDBC.
     *
     * @param jdbcUrl the database's URL
     * @param username a role that owns the database
     * @param password its password, empty under trust authentication
     */
    public record Postgres(String jdbcUrl, String username, String password) {

        /** A proxy in front of this database, which a test can cut for the clients it serves alone. */
        public TcpProxy proxy() {
            URI server = server();
            return TcpProxy.to(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
        }

        /** This database's URL, reached through the proxy. */
        public String jdbcUrlThrough(TcpProxy proxy) {
            return "jdbc:postgresql://127.0.0.1:" + proxy.port() + server().getRawPath();
        }

        private URI server() {
            return URI.create(jdbcUrl.substring("jdbc:".length()));
        }
    }

    /**
     * A vhost on a RabbitMQ broker.
     *
     * @param host the broker's host
     * @param port its AMQP port
     * @param username a user with full permissions on the vhost
     * @param password the user's password
     * @param virtualHost the vhost created for this run
     * @param managementUrl the broker's HTTP API, for tests that inspect queues
     */
    public record RabbitMq(String host, int port, String username, String password, String virtualHost,
            String managementUrl) {

        /** Creates a user with every permission on this vhost, or gives an existing one this password. */
        public void putUser(String user, String userPassword) {
            call("PUT", "/api/users/" + RabbitManagement.encode(user),
                    "{\"password\":\"" + userPassword + "\",\"tags\":\"\"}");
            putPermissions(user);
        }

        /** Deletes a user, and with it every connection the user has open; a user that is gone already is fine. */
        public void deleteUser(String user) {
            call("DELETE", "/api/users/" + RabbitManagement.encode(user), null);
        }

        /** Closes every connection a user has open, as a broker operator would. */
        public void closeConnectionsOf(String user) {
            call("DELETE", "/api/connections/username/" + RabbitManagement.encode(user), null);
        }

        /** Another vhost on the same broker, created now, on which this run's user has every permission. */
        public RabbitMq createVhost(String name) {
            RabbitMq other = new RabbitMq(host, port, username, password, name, managementUrl);
            call("PUT", "/api/vhosts/" + RabbitManagement.encode(name), "{}");
            other.putPermissions(username);
            return other;
        }

        /** Deletes this vhost, with its queues, their messages and every connection to it. */
        public void deleteVhost() {
            call("DELETE", "/api/vhosts/" + RabbitManagement.encode(virtualHost), null);
        }

        private void putPermissions(String user) {
            call("PUT", "/api/permissions/" + RabbitManagement.encode(virtualHost) + "/"
                    + RabbitManagement.encode(user),
                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        }

        private void call(String method, String path, String json) {
            try {
                RabbitManagement.call(this, method, path, json);
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("No RabbitMQ management API at " + managementUrl, e);
            }
        }
    }
}
