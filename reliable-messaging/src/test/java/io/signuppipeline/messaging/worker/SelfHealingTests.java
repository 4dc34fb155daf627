package io.signuppipeline.messaging.worker;

import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Whatever the broker refuses a worker (its login, its queue, its vhost), the worker is neither dead
 * nor silently idle: its health says it does not consume, one line says why, and once the cause is
 * fixed it consumes again by itself, with nothing that was queued lost and no step done twice.
 *
 * <p>The worker logs in as a user of its own, on a vhost of its own, so that these faults touch
 * nothing else of the test run.
 */
@SpringBootTest(properties = {"spring.application.name=healing-tests", "messaging.outbox.poll-interval=200ms",
        "messaging.consumer.reconnect.first-wait=200ms", "messaging.consumer.reconnect.longest-wait=1s",
        "messaging.consumer.reconnect.startup-grace=1s"})
@ContextConfiguration(initializers = SelfHealingTests.OwnLogin.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class SelfHealingTests {

    private static final String QUEUE = "healing-tests.user-signed-up";
    private static final String USER = "healing-tests-" + UUID.randomUUID();
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final TestServices.RabbitMq VHOST = TestServices.get().rabbitMq()
            .createVhost("healing-tests-" + UUID.randomUUID());

    /** What the watch logs, from the start on: Boot sets up logging anew before the initializers run. */
    private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    /** This run's database; the vhost of this class, reached as {@link #USER}, who does not exist yet. */
    static class OwnLogin implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new HashMap<>(TestServices.get().springProperties());
            properties.put("spring.rabbitmq.virtual-host", VHOST.virtualHost());
            properties.put("spring.rabbitmq.username", USER);
            properties.put("spring.rabbitmq.password", PASSWORD);
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("ownLogin", properties));
            lines.start();
            ((Logger) LoggerFactory.getLogger("io.signuppipeline.messaging.consumer.ConsumptionWatch"))
                    .addAppender(lines);
        }
    }

    /** Counts its calls per event: a step done twice would show. */
    static class CountingStep implements SignupStep<String> {

        final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "healing";
        }

        @Override
        public String on(CloudEvent<UserSignedUp> event) {
            calls.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
            return "done";
        }

        @Override
        public void record(List<Effect<String>> effects) {
            // Only the inbox and the result, which the runtime writes.
        }

        @Override
        public String detail(String result) {
            return result;
        }
    }

    @TestConfiguration
    static class StepConfiguration {

        @Bean
        CountingStep healingStep() {
            return new CountingStep();
        }
    }

    /** Publishes as the run's own user, which none of these faults touches. */
    private static final CachingConnectionFactory publisherConnections = publisherConnections();
    private static final RabbitTemplate publisher = new RabbitTemplate(publisherConnections);

    static {
        bindStepResults();
    }

    @Autowired
    HealthIndicator consumersHealthIndicator;

    @Autowired
    CountingStep step;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void forgetEarlierLines() {
        synchronized (lines) {
            lines.list.clear();
        }
    }

    /** Lets the worker log in again after each test, so that one failing leaves the next its broker. */
    @AfterEach
    void restoreTheLogin() {
        VHOST.putUser(USER, PASSWORD);
    }

    @AfterAll
    static void cleanUp() {
        publisherConnections.destroy();
        VHOST.deleteVhost();
        VHOST.deleteUser(USER);
    }

    @Test
    @Order(1)
    void aLoginRefusedAtStartIsReportedAndConsumptionStartsOnceItWorks() {
        waitUpTo(Duration.ofSeconds(10)).until(() -> !logged("Consumption STOPPED").isEmpty());
        assertThat(consumersHealthIndicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(logged("Consumption STOPPED")).singleElement().asString().contains("ACCESS_REFUSED");

        VHOST.putUser(USER, PASSWORD);

        awaitResumed();
        assertEveryOneDoneOnce(publishSome(5));
    }

    @Test
    @Order(2)
    void aPasswordChangedUnderLoadIsRecoveredFromOnceItIsRestored() {
        List<CloudEvent<UserSignedUp>> events = new ArrayList<>(publishSome(50));

        VHOST.putUser(USER, "changed-" + PASSWORD);
        VHOST.closeConnectionsOf(USER);
        events.addAll(publishSome(50));
        waitUpTo(Duration.ofSeconds(10)).until(() -> !logged("Consumption STOPPED").isEmpty());
        assertThat(consumersHealthIndicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(logged("Consumption STOPPED")).as("once per change, not once per attempt").hasSize(1);

        VHOST.putUser(USER, PASSWORD);

        awaitResumed();
        assertEveryOneDoneOnce(events);
    }

    @Test
    @Order(3)
    void aDeletedQueueIsDeclaredAgainAndConsumed() {
        new RabbitAdmin(publisherConnections).deleteQueue(QUEUE);

        waitUpTo(Duration.ofSeconds(15)).until(() -> new RabbitAdmin(publisherConnections)
                .getQueueInfo(QUEUE) != null && consumersHealthIndicator.health().getStatus().equals(Status.UP));
        assertEveryOneDoneOnce(publishSome(5));
    }

    @Test
    @Order(4)
    void aVhostDeletedAndCreatedAgainIsConsumedFromOnceItIsBack() {
        VHOST.deleteVhost();
        waitUpTo(Duration.ofSeconds(10)).until(() -> !logged("Consumption STOPPED").isEmpty());
        assertThat(consumersHealthIndicator.health().getStatus()).isEqualTo(Status.DOWN);

        TestServices.get().rabbitMq().createVhost(VHOST.virtualHost());
        bindStepResults();
        VHOST.putUser(USER, PASSWORD);

        awaitResumed();
        assertEveryOneDoneOnce(publishSome(5));
    }

    /**
     * Awaitility, without its default of ending the wait at any other thread's uncaught exception:
     * these tests refuse the worker's logins on purpose, and a connection thread may die of that
     * while the worker recovers, which is what they wait for.
     */
    private static ConditionFactory waitUpTo(Duration limit) {
        return await().dontCatchUncaughtExceptions().atMost(limit);
    }

    private void awaitResumed() {
        waitUpTo(Duration.ofSeconds(15)).until(() -> !logged("Consumption RESUMED").isEmpty());
        assertThat(consumersHealthIndicator.health().getStatus()).isEqualTo(Status.UP);
    }

    private static List<CloudEvent<UserSignedUp>> publishSome(int count) {
        List<CloudEvent<UserSignedUp>> events = IntStream.range(0, count).mapToObj(i -> signup()).toList();
        events.forEach(event -> publish(publisher, event));
        return events;
    }

    private void assertEveryOneDoneOnce(List<CloudEvent<UserSignedUp>> events) {
        waitUpTo(Duration.ofSeconds(20)).until(() -> events.stream().allMatch(event -> processed(jdbc, event)));
        assertThat(events).allSatisfy(event -> assertThat(step.calls.get(event.id())).hasValue(1));
    }

    /** The watch's lines that start so; the appender adds to its list while holding its own lock. */
    private static List<String> logged(String start) {
        synchronized (lines) {
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(line -> line.startsWith(start))
                    .toList();
        }
    }

    /** Where signup-api would take the worker's results from: without it the broker returns them. */
    private static void bindStepResults() {
        RabbitAdmin admin = new RabbitAdmin(publisherConnections);
        TopicExchange exchange = new TopicExchange(SignupTopology.EXCHANGE);
        Queue results = new Queue("healing-tests.step-results");
        admin.declareExchange(exchange);
        admin.declareQueue(results);
        admin.declareBinding(BindingBuilder.bind(results).to(exchange).with(SignupTopology.STEP_COMPLETED));
    }

    private static CachingConnectionFactory publisherConnections() {
        CachingConnectionFactory connections = new CachingConnectionFactory(VHOST.host(), VHOST.port());
        connections.setUsername(VHOST.username());
        connections.setPassword(VHOST.password());
        connections.setVirtualHost(VHOST.virtualHost());
        return connections;
    }
}
