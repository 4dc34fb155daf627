package io.signuppipeline.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Starts PostgreSQL and RabbitMQ in containers for this test run, on the same versions compose uses.
 */
final class ContainerServices {

    private static final String POSTGRES_IMAGE = "postgres:17.6-alpine";
    private static final String RABBITMQ_IMAGE = "rabbitmq:4.1.4-management-alpine";

    private ContainerServices() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own reaper when the JVM exits
    static TestServices provision() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE);
        RabbitMQContainer rabbitMq = new RabbitMQContainer(RABBITMQ_IMAGE);
        postgres.start();
        rabbitMq.start();
        return new TestServices(
                new TestServices.Postgres(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword()),
                new TestServices.RabbitMq(rabbitMq.getHost(), rabbitMq.getAmqpPort(), rabbitMq.getAdminUsername(),
                        rabbitMq.getAdminPassword(), "/", rabbitMq.getHttpUrl()));
    }
}
