package io.signuppipeline.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five services run as themselves, each with its own broker user and database role, and each
 * is refused what belongs to another: the grants {@code scripts/provision.sh} makes, checked with the
 * services' own credentials against the real broker and database after the services have created
 * their queues and tables.
 */
class LeastPrivilegeIT {

    static WireMockServer mocks;
    static GreenMail smtp;
    static ServicePipeline pipeline;
    static Map<String, String> environment;
    static final TestServices run = TestServices.get();

    @BeforeAll
    static void startThePipeline() {
        mocks = MockApis.start();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        environment = ServiceEnvironment.of(run, mocks.baseUrl(), smtp.getSmtp().getPort());
        pipeline = ServicePipeline.start(environment);
    }

    @AfterAll
    static void stopThePipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (mocks != null) {
            mocks.stop();
        }
    }

    @Test
    void aWorkerMayPublishItsResultsButNotASignup() throws Exception {
        try (Connection broker = connectAs("email-worker")) {
            assertThat(publishes(broker, SignupTopology.STEP_COMPLETED)).as("its own result").isTrue();
            assertThat(publishes(broker, SignupTopology.USER_SIGNED_UP)).as("a signup").isFalse();
        }
    }

    @Test
    void aWorkerCannotConsumeAnotherWorkersQueue() throws Exception {
        try (Connection broker = connectAs("email-worker")) {
            assertThat(consumes(broker, SignupTopology.workQueue("email-worker"))).isTrue();
            assertThat(consumes(broker, SignupTopology.workQueue("fraud-worker"))).isFalse();
            assertThat(consumes(broker, SignupTopology.workQueue("billing-worker") + ".dlq")).isFalse();
        }
    }

    @Test
    void theSignupApiCannotConsumeWorkerQueuesNorPublishResults() throws Exception {
        try (Connection broker = connectAs("signup-api")) {
            assertThat(consumes(broker, SignupTopology.STEP_RESULTS_QUEUE)).as("its own queue").isTrue();
            for (String worker : ServicePipeline.WORKERS) {
                assertThat(consumes(broker, SignupTopology.workQueue(worker))).as(worker).isFalse();
            }
            assertThat(publishes(broker, SignupTopology.STEP_COMPLETED)).as("a worker's result").isFalse();
        }
    }

    @Test
    void theEmailWorkersRoleCannotReadTheUsers() throws Exception {
        try (var email = DriverManager.getConnection(run.postgres().jdbcUrl(),
                ServiceEnvironment.user(environment, "email-worker", "DB"),
                environment.get("EMAIL_WORKER_DB_PASSWORD"));
                var signupApi = DriverManager.getConnection(run.postgres().jdbcUrl(),
                        ServiceEnvironment.user(environment, "signup-api", "DB"),
                        environment.get("SIGNUP_API_DB_PASSWORD"))) {
            assertThat(count(signupApi, "SELECT count(*) FROM signup.users")).as("the owner reads them").isNotNegative();
            assertThatThrownBy(() -> count(email, "SELECT count(*) FROM signup.users"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> count(email, "SELECT count(*) FROM fraud.risk_assessments"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThat(count(email, "SELECT count(*) FROM email.welcome_emails")).as("its own").isNotNegative();
        }
    }

    @Test
    void theReplayEndpointNeedsTheAdminCredentialAndActuatorShowsOnlyHealthInfoAndMetrics() throws Exception {
        String replay = pipeline.worker("billing-worker").baseUrl() + "/admin/dead-letters/replay";
        assertThat(post(replay, null)).as("no credential").isEqualTo(401);
        assertThat(post(replay, "admin:not-the-password")).as("a wrong one").isEqualTo(401);
        assertThat(post(replay, "admin:" + environment.get(ServiceEnvironment.ADMIN_PASSWORD))).isEqualTo(200);
        String actuator = pipeline.worker("billing-worker").baseUrl() + "/actuator/";
        assertThat(get(actuator + "health")).isEqualTo(200);
        assertThat(get(actuator + "prometheus")).isEqualTo(200);
        assertThat(get(actuator + "env")).isEqualTo(404);
        assertThat(get(pipeline.api().baseUrl() + "/actuator/env")).isEqualTo(404);
    }

    private static Connection connectAs(String service) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(run.rabbitMq().host());
        factory.setPort(run.rabbitMq().port());
        factory.setVirtualHost(run.rabbitMq().virtualHost());
        factory.setUsername(ServiceEnvironment.user(environment, service, "RABBITMQ"));
        factory.setPassword(environment.get(service.toUpperCase(Locale.ROOT).replace('-', '_') + "_RABBITMQ_PASSWORD"));
        return factory.newConnection("least-privilege-test");
    }

    /**
     * Whether the broker takes a message with this routing key from this user (its confirm arrives).
     * The message is a well-formed result for a signup nobody has, which the signup API ignores.
     */
    private static boolean publishes(Connection broker, String routingKey) throws Exception {
        CloudEvent<SignupStepCompleted> harmless = CloudEvent.of(UUID.randomUUID(), "/least-privilege-test",
                SignupStepCompleted.TYPE, Instant.now(), new SignupStepCompleted(UUID.randomUUID(), "email",
                        Instant.now(), 0, null));
        try (Channel channel = broker.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(SignupTopology.EXCHANGE, routingKey, new AMQP.BasicProperties.Builder()
                    .messageId(harmless.id().toString()).type(SignupStepCompleted.TYPE)
                    .contentType(CloudEvent.CONTENT_TYPE).build(), EventJson.write(harmless));
            channel.waitForConfirmsOrDie(5_000);
            return true;
        } catch (IOException | com.rabbitmq.client.ShutdownSignalException e) {
            return !accessRefused(e);
        }
    }

    /** Whether the broker lets this user consume from the queue. */
    private static boolean consumes(Connection broker, String queue) throws Exception {
        Channel channel = broker.createChannel();
        try {
            String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel));
            channel.basicCancel(tag);
            channel.close();
            return true;
        } catch (IOException e) {
            if (!accessRefused(e)) {
                throw e;
            }
            return false;
        }
    }

    private static boolean accessRefused(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("ACCESS_REFUSED")) {
                return true;
            }
        }
        return false;
    }

    private static long count(java.sql.Connection database, String sql) throws SQLException {
        try (var statement = database.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int post(String url, String credential) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (credential != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credential.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    private static int get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).build());
    }

    private static int send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
