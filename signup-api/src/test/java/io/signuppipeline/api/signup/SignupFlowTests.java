package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.EventQueue;
import io.signuppipeline.api.Rows;
import io.signuppipeline.api.SignupApiTest;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.events.contract.EventContract;
import io.signuppipeline.messaging.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SignupApiTest
class SignupFlowTests {

    @LocalServerPort
    int port;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    Rows rows;
    EventQueue workerQueue;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        rows = new Rows(jdbc);
        workerQueue = new EventQueue(connectionFactory, SignupTopology.USER_SIGNED_UP);
    }

    @AfterEach
    void tearDown() {
        workerQueue.close();
    }

    @Nested
    class ASignup {

        @Test
        void answers201WithLocationAndTheSignup() {
            ApiClient.Response response = api.signUp("  Grace.Hopper@Example.com ", " Grace Hopper ");

            assertThat(response.status()).isEqualTo(201);
            UUID id = UUID.fromString(response.json().get("id").asString());
            assertThat(response.header("Location")).isEqualTo("/api/signups/" + id);
            assertThat(response.json().get("email").asString()).isEqualTo("Grace.Hopper@example.com");
            assertThat(response.json().get("name").asString()).isEqualTo("Grace Hopper");
            assertThat(response.json().get("status").asString()).isEqualTo("ACTIVE");
            assertThat(id.version()).as("time-ordered UUIDv7").isEqualTo(7);
        }

        @Test
        void canBeReadBackByItsLocation() {
            ApiClient.Response created = api.signUp(uniqueEmail(), "Ada Lovelace");

            ApiClient.Response read = api.get(created.header("Location"));

            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json()).isEqualTo(created.json());
        }

        @Test
        void publishesExactlyOneUserSignedUpWithTheContractsEnvelopeAndProperties() {
            String email = uniqueEmail();
            ApiClient.Response response = api.signUp(email, "Ada Lovelace");
            UUID signupId = UUID.fromString(response.json().get("id").asString());

            await().atMost(Duration.ofSeconds(10)).until(() -> workerQueue.messagesFor(signupId).size() == 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> workerQueue.messagesFor(signupId).size() == 1);

            Message message = workerQueue.messagesFor(signupId).getFirst();
            EventContract.USER_SIGNED_UP.assertSameShapeAsFixture(message.getBody());
            CloudEvent<UserSignedUp> event = EventJson.read(message.getBody(), UserSignedUp.class);
            assertThat(message.getBody()).as("the outbox sends the bytes it stored").isEqualTo(EventJson.write(event));
            assertThat(event.specversion()).isEqualTo("1.0");
            assertThat(event.type()).isEqualTo("user.signed_up");
            assertThat(event.source()).isEqualTo("/signup-api");
            assertThat(event.datacontenttype()).isEqualTo("application/json");
            assertThat(event.time()).isEqualTo(Instant.parse(response.json().get("createdAt").asString()));
            assertThat(event.data()).isEqualTo(
                    new UserSignedUp(signupId, email, "Ada Lovelace", "127.0.0.1", ApiClient.USER_AGENT));

            MessageProperties properties = message.getMessageProperties();
            assertThat(properties.getMessageId()).isEqualTo(event.id().toString());
            assertThat(properties.getType()).isEqualTo("user.signed_up");
            assertThat(properties.getContentType()).isEqualTo("application/cloudevents+json");
            assertThat(properties.getAppId()).isEqualTo("signup-api");
            assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
            assertThat(properties.getTimestamp().toInstant().getEpochSecond())
                    .isEqualTo(event.time().getEpochSecond());
            assertThat(properties.getReceivedRoutingKey()).isEqualTo(SignupTopology.USER_SIGNED_UP);
            await().atMost(Duration.ofSeconds(5)).until(() -> rows.published(signupId));
        }

        @Test
        void writesTheUserAndOneOutboxRowTogether() {
            long usersBefore = rows.users();

            UUID signupId = UUID.fromString(api.signUp(uniqueEmail(), "Ada").json().get("id").asString());

            assertThat(rows.users()).isEqualTo(usersBefore + 1);
            assertThat(rows.outboxFor(signupId)).isEqualTo(1);
        }
    }

    @Nested
    class TheSameEmail {

        @Test
        void isRefusedWith409InAnyLetterCase() {
            String email = uniqueEmail();
            api.signUp(email, "First");
            long users = rows.users();
            long outbox = rows.outbox();

            ApiClient.Response again = api.signUp(email.toUpperCase(), "Second");

            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(again.json().get("type").asString()).isEqualTo("/problems/email-already-registered");
            assertThat(rows.users()).isEqualTo(users);
            assertThat(rows.outbox()).isEqualTo(outbox);
        }

        @Test
        void postedTwentyTimesAtOnceCreatesOneSignup() throws Exception {
            String email = uniqueEmail();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            try (ExecutorService clients = Executors.newFixedThreadPool(20)) {
                for (int i = 0; i < 20; i++) {
                    String name = "Client " + i;
                    answers.add(clients.submit(() -> {
                        start.await();
                        return api.signUp(email, name).status();
                    }));
                }
                start.countDown();
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }

            assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(19);
            assertThat(jdbc.sql("SELECT count(*) FROM users WHERE lower(email) = lower(:email)")
                    .param("email", email).query(Long.class).single()).isEqualTo(1);
        }
    }

    @Nested
    class AnEmailAddress {

        @Test
        void isStoredAndPublishedWithItsDomainInLowerCaseAndItsLocalPartAsTyped() {
            String local = "Ada.Lovelace-" + UUID.randomUUID();

            ApiClient.Response response = api.signUp(local + "@Example.COM", "Ada");

            String normalised = local + "@example.com";
            UUID signupId = UUID.fromString(response.json().get("id").asString());
            assertThat(response.json().get("email").asString()).isEqualTo(normalised);
            assertThat(storedEmail(signupId)).isEqualTo(normalised);
            await().atMost(Duration.ofSeconds(10)).until(() -> workerQueue.messagesFor(signupId).size() == 1);
            Message message = workerQueue.messagesFor(signupId).getFirst();
            assertThat(EventJson.read(message.getBody(), UserSignedUp.class).data().email()).isEqualTo(normalised);
        }

        @Test
        void typedWithADecomposedAccentIsTheSameAsWithAPrecomposedOne() {
            String unique = UUID.randomUUID().toString();
            ApiClient.Response first = api.signUp("rene\u0301e-" + unique + "@example.com", "Renée");
            long users = rows.users();

            ApiClient.Response again = api.signUp("ren\u00e9e-" + unique + "@example.com", "Renée");

            assertThat(first.status()).isEqualTo(201);
            UUID signupId = UUID.fromString(first.json().get("id").asString());
            assertThat(storedEmail(signupId)).as("stored in NFC").isEqualTo("ren\u00e9e-" + unique + "@example.com");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("type").asString()).isEqualTo("/problems/email-already-registered");
            assertThat(rows.users()).isEqualTo(users);
        }

        @Test
        void whoseDomainIsTypedInFullWidthLettersIsTheSameMailboxAsInAscii() {
            String unique = UUID.randomUUID().toString();
            String fullWidthDomain = "\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45\u3002\uFF23\uFF2F\uFF2D"; // ｅｘａｍｐｌｅ。ＣＯＭ
            ApiClient.Response first = api.signUp("grace-" + unique + "@" + fullWidthDomain, "Grace");
            long users = rows.users();

            ApiClient.Response again = api.signUp("grace-" + unique + "@example.com", "Grace");

            assertThat(first.status()).isEqualTo(201);
            UUID signupId = UUID.fromString(first.json().get("id").asString());
            assertThat(storedEmail(signupId)).as("the domain as DNS resolves it")
                    .isEqualTo("grace-" + unique + "@example.com");
            assertThat(again.status()).isEqualTo(409);
            assertThat(rows.users()).isEqualTo(users);
        }

        @Test
        void differingOnlyInLetterCaseIsAlreadyRegistered() {
            String unique = UUID.randomUUID().toString();
            assertThat(api.signUp("Ada-" + unique + "@EXAMPLE.COM", "Ada").status()).isEqualTo(201);
            long users = rows.users();
            long outbox = rows.outbox();

            ApiClient.Response again = api.signUp("ada-" + unique + "@example.com", "Ada");

            assertThat(again.status()).isEqualTo(409);
            assertThat(rows.users()).isEqualTo(users);
            assertThat(rows.outbox()).isEqualTo(outbox);
        }

        private String storedEmail(UUID signupId) {
            return jdbc.sql("SELECT email FROM users WHERE id = :id").param("id", signupId).query(String.class).single();
        }
    }

    @Nested
    class AnUnroutableEvent {

        @Autowired
        Outbox outbox;

        @Autowired
        TransactionTemplate transactions;

        @Autowired
        MeterRegistry meters;

        @Test
        void isNeverMarkedPublishedAndIsRetriedUntilAQueueIsBound() {
            String routingKey = "test.unbound." + UUID.randomUUID();
            UUID signupId = UUID.randomUUID();
            CloudEvent<UserSignedUp> event = CloudEvent.of(UUID.randomUUID(), "/signup-api", UserSignedUp.TYPE,
                    Instant.now(), new UserSignedUp(signupId, uniqueEmail(), "Nobody", "127.0.0.1", null));
            double returnedBefore = returnedCount();

            transactions.executeWithoutResult(status -> outbox.append(event, signupId, routingKey));

            await().atMost(Duration.ofSeconds(10)).until(() -> rows.attempts(signupId) >= 2);
            assertThat(rows.published(signupId)).isFalse();
            assertThat(rows.lastError(signupId)).contains("unroutable").contains(routingKey);
            assertThat(returnedCount()).isGreaterThanOrEqualTo(returnedBefore + 2);

            try (EventQueue nowBound = new EventQueue(connectionFactory, routingKey)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> rows.published(signupId));
                await().atMost(Duration.ofSeconds(5)).until(() -> nowBound.messagesFor(signupId).size() == 1);
            }
        }

        private double returnedCount() {
            var counter = meters.find("outbox.publish").tag("outcome", "returned").counter();
            return counter == null ? 0 : counter.count();
        }
    }

    static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }
}
