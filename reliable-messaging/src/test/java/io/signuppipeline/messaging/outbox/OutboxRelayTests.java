package io.signuppipeline.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays built by hand over the real database and broker, so a test can run two at once.
 */
@SpringBootTest(properties = "messaging.outbox.relay-enabled=false")
@UsesTestServices
class OutboxRelayTests {

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxRepository repository;

    @Autowired
    CachingConnectionFactory connectionFactory;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    private final List<OutboxRelay> relays = new ArrayList<>();
    private final String routingKey = "test.relay." + UUID.randomUUID();

    @AfterEach
    void stopRelays() {
        relays.stream().filter(OutboxRelay::isRunning).forEach(OutboxRelay::stop);
        relays.forEach(connectionFactory::removeConnectionListener);
    }

    @Test
    void twoRelaysOnOneOutboxPublishEveryEventExactlyOnce() {
        Queue queue = bindQueue(routingKey);
        appendEvents(300, routingKey);

        startRelay(properties(20, Duration.ofHours(1)));
        startRelay(properties(20, Duration.ofHours(1)));

        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(routingKey) == 0);
        List<String> messageIds = drain(queue);
        assertThat(messageIds).hasSize(300);
        assertThat(new HashSet<>(messageIds)).hasSize(300);
    }

    @Test
    void publishedRowsAreDeletedAfterRetentionAndUnpublishedOnesAreKept() {
        bindQueue(routingKey);
        String unroutable = "test.unbound." + UUID.randomUUID();
        appendEvents(5, routingKey);
        appendEvents(1, unroutable);

        startRelay(properties(100, Duration.ofMillis(1)));

        await().atMost(Duration.ofSeconds(15)).until(() -> rows(routingKey) == 0);
        assertThat(rows(unroutable)).isEqualTo(1);
        assertThat(unpublished(unroutable)).isEqualTo(1);
    }

    @Test
    void withoutRetentionEachConfirmedRowIsDeletedAtOnceAndAnUnroutableOneIsKept() {
        Queue queue = bindQueue(routingKey);
        String unroutable = "test.unbound." + UUID.randomUUID();
        appendEvents(50, routingKey);
        appendEvents(1, unroutable);

        startRelay(properties(20, Duration.ZERO));

        await().atMost(Duration.ofSeconds(15)).until(() -> rows(routingKey) == 0);
        assertThat(drain(queue)).hasSize(50);
        assertThat(unpublished(unroutable)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT attempts FROM outbox WHERE routing_key = :key").param("key", unroutable)
                .query(Integer.class).single()).isPositive();
    }

    /**
     * The relay's own thread is not started: each call runs one batch, the way its loop would. Its first
     * batches scan the table, until one finds less than a batch due (rows other tests left in the schema
     * may fill a few); the next scan is then an hour away.
     */
    @Test
    void announcedRowsAreClaimedByIdAndTheRestWaitForTheNextScan() {
        Queue queue = bindQueue(routingKey);
        String unannounced = "test.unannounced." + UUID.randomUUID();
        bindQueue(unannounced);
        OutboxRelay relay = relay(properties(20, Duration.ZERO, Duration.ofHours(1)));
        while (relay.relayBatch()) {
            // a whole batch due: the scan stays due
        }

        List<UUID> ids = appendEvents(5, routingKey);
        appendEvents(1, unannounced);
        relay.on(new OutboxAppended(ids));
        relay.relayBatch();

        assertThat(drain(queue)).containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(rows(routingKey)).isZero();
        assertThat(unpublished(unannounced)).as("not announced, and no scan due").isEqualTo(1);
    }

    /**
     * Packing, each run of one routing key is one message, in the order the rows were appended, and
     * unpacks into every event of the run; a run of one goes out as a message of its own.
     */
    @Test
    void packedRunsOfOneRoutingKeyGoOutAsOneMessageEach() {
        String other = "test.other." + UUID.randomUUID();
        Queue queue = bindQueue(routingKey);
        Queue otherQueue = bindQueue(other);
        OutboxRelay relay = relay(properties(20, Duration.ZERO, Duration.ofHours(1), true));
        while (relay.relayBatch()) {
            // rows other tests left: a whole batch due, the scan stays due
        }
        List<UUID> first = appendEvents(5, routingKey);
        List<UUID> between = appendEvents(1, other);
        List<UUID> last = appendEvents(3, routingKey);
        relay.on(new OutboxAppended(concat(first, between, last)));

        assertThat(relay.relayBatch()).as("9 of a batch of 20").isFalse();

        List<Message> packs = receiveAll(queue);
        assertThat(packs).extracting(message -> message.getMessageProperties().getContentType())
                .containsOnly(CloudEvent.BATCH_CONTENT_TYPE);
        assertThat(packs).map(pack -> ids(BatchedEvents.unpack(pack))).satisfiesExactly(
                ids -> assertThat(ids).containsExactlyInAnyOrderElementsOf(strings(first)),
                ids -> assertThat(ids).containsExactlyInAnyOrderElementsOf(strings(last)));
        List<Message> alone = receiveAll(otherQueue);
        assertThat(alone).singleElement().satisfies(message -> {
            assertThat(message.getMessageProperties().getContentType()).isEqualTo(CloudEvent.CONTENT_TYPE);
            assertThat(message.getMessageProperties().getMessageId()).isEqualTo(between.getFirst().toString());
        });
        assertThat(rows(routingKey)).isZero();
    }

    /** Announcements that never stop do not put off the scan, which alone finds rows nobody announced. */
    @Test
    void theScanComesEveryPollIntervalWhileAnnouncementsKeepComing() {
        bindQueue(routingKey);
        String unannounced = "test.unannounced." + UUID.randomUUID();
        bindQueue(unannounced);
        OutboxRelay relay = relay(properties(20, Duration.ZERO, Duration.ofMillis(300)));
        relay.relayBatch();
        appendEvents(1, unannounced);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            relay.on(new OutboxAppended(appendEvents(1, routingKey)));
            relay.relayBatch();
            return unpublished(unannounced) == 0;
        });
        assertThat(unpublished(routingKey)).isZero();
    }

    /**
     * Rows that could not reach the broker wait out a backoff, here of an hour; once the broker is
     * back, the next connection to it (the consumers make one within seconds) sends them at once.
     */
    @Test
    void rowsWaitingOutABackoffGoWhenAConnectionToTheBrokerIsMadeAgain() {
        Queue queue = bindQueue(routingKey);
        List<UUID> ids = appendEvents(3, routingKey);
        jdbc.sql("""
                UPDATE outbox SET attempts = 6, next_attempt_at = now() + INTERVAL '1 hour',
                    last_error = 'java.net.ConnectException: Connection refused'
                WHERE routing_key = :key
                """).param("key", routingKey).update();
        OutboxRelay relay = relay(properties(20, Duration.ZERO));
        relay.start();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> unpublished(routingKey) == 3);

        connectionFactory.resetConnection();
        connectionFactory.addConnectionListener(relay);
        new RabbitAdmin(connectionFactory).getQueueProperties(queue.getName());

        await().atMost(Duration.ofSeconds(10)).until(() -> rows(routingKey) == 0);
        assertThat(drain(queue)).containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
    }

    /**
     * The broker confirms a batch with one acknowledgement, and Spring AMQP hands each message's confirm
     * to the connection's executor: by default a pool that starts a thread whenever its threads are busy.
     */
    @Test
    void theConfirmsOfWholeBatchesRunOnAFixedSetOfThreads() {
        Queue queue = bindQueue(routingKey);
        appendEvents(1_000, routingKey);
        long lastThreadBefore = Thread.getAllStackTraces().keySet().stream().mapToLong(Thread::threadId).max()
                .orElseThrow();

        startRelay(properties(200, Duration.ZERO));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(routingKey) == 0);
        assertThat(drain(queue)).hasSize(1_000);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.threadId() > lastThreadBefore)
                .filter(thread -> thread.getName().startsWith("rabbitConnectionFactory")))
                .as("threads the connection factory's executor started meanwhile")
                .hasSizeLessThanOrEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    private OutboxProperties properties(int batchSize, Duration retention) {
        return properties(batchSize, retention, Duration.ofMillis(100));
    }

    private OutboxProperties properties(int batchSize, Duration retention, Duration pollInterval) {
        return properties(batchSize, retention, pollInterval, false);
    }

    private OutboxProperties properties(int batchSize, Duration retention, Duration pollInterval, boolean pack) {
        return new OutboxProperties(true, batchSize, pollInterval, Duration.ofMillis(10),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), retention, Duration.ofMillis(100),
                pack);
    }

    private void startRelay(OutboxProperties properties) {
        relay(properties).start();
    }

    private OutboxRelay relay(OutboxProperties properties) {
        OutboxPublisher publisher = new OutboxPublisher(new MandatoryRabbitTemplate(connectionFactory), "messaging-tests",
                properties.confirmTimeout(), TraceParents.none(), properties.packEvents());
        OutboxRelay relay = new OutboxRelay(repository, publisher,
                new OutboxMetrics(new SimpleMeterRegistry(), repository), transactions, properties);
        relays.add(relay);
        return relay;
    }

    /** Appends in one transaction, as a service does; the relay hears of them only when a test tells it. */
    private List<UUID> appendEvents(int count, String key) {
        List<UUID> ids = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < count; i++) {
                UUID userId = UUID.randomUUID();
                UUID eventId = UUID.randomUUID();
                outbox.append(CloudEvent.of(eventId, "/messaging-tests", UserSignedUp.TYPE, Instant.now(),
                        new UserSignedUp(userId, "user" + i + "@example.com", "User " + i, "127.0.0.1", null)),
                        userId, key);
                ids.add(eventId);
            }
        });
        return ids;
    }

    private Queue bindQueue(String key) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        Queue queue = QueueBuilder.nonDurable("test-relay." + UUID.randomUUID()).autoDelete().build();
        TopicExchange exchange = new TopicExchange(SignupTopology.EXCHANGE, true, false);
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        Binding binding = BindingBuilder.bind(queue).to(exchange).with(key);
        admin.declareBinding(binding);
        return queue;
    }

    private List<String> drain(Queue queue) {
        return ids(receiveAll(queue));
    }

    private List<Message> receiveAll(Queue queue) {
        RabbitTemplate rabbit = new RabbitTemplate(connectionFactory);
        List<Message> messages = new ArrayList<>();
        for (Message message = rabbit.receive(queue.getName()); message != null;
                message = rabbit.receive(queue.getName())) {
            messages.add(message);
        }
        return messages;
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(message -> message.getMessageProperties().getMessageId()).toList();
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }

    @SafeVarargs
    private static List<UUID> concat(List<UUID>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private long unpublished(String key) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE routing_key = :key AND published_at IS NULL")
                .param("key", key).query(Long.class).single();
    }

    private long rows(String key) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE routing_key = :key").param("key", key)
                .query(Long.class).single();
    }
}
