package io.signuppipeline.messaging.worker;

import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.results;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.consumer.DeliveryHeaders;
import io.signuppipeline.testing.UsesTestServices;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker runtime with a scripted step, over the real broker and database.
 */
@SpringBootTest(properties = {"messaging.consumer.retry-delays=300ms,600ms", "messaging.outbox.poll-interval=200ms",
        // Long enough that messages published together reach the listener as one batch.
        "messaging.consumer.batch-wait=300ms",
        // The failures these tests script must not open the circuit breaker: DownstreamOutageTests covers that.
        "messaging.worker.breaker.minimum-calls=1000"})
@DirtiesContext
@UsesTestServices
class StepListenerTests {

    private static final String DEAD_LETTER_QUEUE = "messaging-tests.user-signed-up.dlq";

    @TestConfiguration
    static class ScriptedStepConfiguration {

        @Bean
        ScriptedStep scriptedStep() {
            return new ScriptedStep();
        }
    }

    /** Counts its calls and fails as often as a test asks it to, per signup. */
    static class ScriptedStep implements SignupStep<String> {

        final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<UUID, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
        final Set<UUID> refused = ConcurrentHashMap.newKeySet();
        final Map<UUID, AtomicInteger> recordFailuresLeft = new ConcurrentHashMap<>();
        final Map<UUID, Instant> firstCalledAt = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String on(CloudEvent<UserSignedUp> event) throws IOException, PermanentFailure {
            UUID signupId = event.data().userId();
            calls.computeIfAbsent(signupId, id -> new AtomicInteger()).incrementAndGet();
            firstCalledAt.putIfAbsent(signupId, Instant.now());
            if (refused.contains(signupId)) {
                throw new PermanentFailure("downstream answered 422: address rejected", null);
            }
            if (failuresLeft.getOrDefault(signupId, new AtomicInteger()).getAndDecrement() > 0) {
                throw new IOException("downstream answered 503");
            }
            return "ref-" + signupId;
        }

        /** The step's own table would be written here; it fails as if the database were away, when told to. */
        @Override
        public void record(List<Effect<String>> effects) {
            for (Effect<String> effect : effects) {
                if (recordFailuresLeft.getOrDefault(effect.event().data().userId(), new AtomicInteger())
                        .getAndDecrement() > 0) {
                    throw new DataAccessResourceFailureException("the database went away");
                }
            }
        }

        @Override
        public String detail(String result) {
            return result;
        }

        int calls(UUID signupId) {
            return calls.getOrDefault(signupId, new AtomicInteger()).get();
        }
    }

    @Autowired
    ScriptedStep step;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeadLetterReplay deadLetters;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    DownstreamBreaker breaker;

    @Autowired
    Redelivery redelivery;

    @Test
    void processesAnEventAndWritesItsResultEventInTheSameTransaction() {
        CloudEvent<UserSignedUp> event = signup();

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        SignupStepCompleted result = resultFor(event.data().userId());
        assertThat(result.step()).isEqualTo("scripted");
        assertThat(result.detail()).isEqualTo("ref-" + event.data().userId());
        assertThat(result.durationMillis()).isNotNegative();
        assertThat(result.ambiguous()).isFalse();
        assertThat(claims(event)).as("the claim, let go once the effect was recorded").isZero();
    }

    @Test
    void anEventWhoseEarlierAttemptClaimedItAndRecordedNothingIsCalledAgainAndReportedAmbiguous() {
        CloudEvent<UserSignedUp> event = signup();
        // An attempt claimed it five minutes ago, for a minute, and died after its call.
        jdbc.sql("INSERT INTO claims (event_id, claimed_at, lease_until) VALUES (?, now() - interval '5 minutes', "
                + "now() - interval '4 minutes')").params(event.id()).update();
        double ambiguousBefore = ambiguousCount();

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat(resultFor(event.data().userId()).ambiguous()).as("the result says the effect may be twice").isTrue();
        assertThat(ambiguousCount()).isEqualTo(ambiguousBefore + 1);
        assertThat(claims(event)).isZero();
    }

    @Test
    void anEventClaimedByADeliveryStillAtWorkWaitsForItsLeaseAndIsNotCalledMeanwhile() {
        CloudEvent<UserSignedUp> event = signup();
        Instant leaseEnds = jdbc.sql("INSERT INTO claims (event_id, claimed_at, lease_until) VALUES (?, now(), "
                + "now() + interval '2 seconds') RETURNING lease_until").params(event.id())
                .query(Timestamp.class).single().toInstant();

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(step.firstCalledAt.get(event.data().userId())).as("no call while the other delivery's lease ran")
                .isAfterOrEqualTo(leaseEnds);
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat(resultFor(event.data().userId()).ambiguous()).isTrue();
    }

    /**
     * Two deliveries of one event: the other holds the claim, and records the event (inbox row in, claim
     * out, in one commit) while this one is between its two statements, the claim and the look-up.
     * Whichever of them comes first, this one must not call the downstream.
     */
    @Test
    void aDeliveryWhoseTwinRecordsTheEventWhileItIsBeingAdmittedNeverCalls() {
        CloudEvent<UserSignedUp> event = signup();
        jdbc.sql("INSERT INTO claims (event_id, claimed_at, lease_until) VALUES (?, now(), now() + interval '1 minute')")
                .params(event.id()).update();
        Runnable twinRecords = () -> transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO inbox (event_id, signup_id, event_type) VALUES (?, ?, ?)")
                    .params(event.id(), event.data().userId(), event.type()).update();
            jdbc.sql("DELETE FROM claims WHERE event_id = ?").params(event.id()).update();
        });
        StepTriage triage = new StepTriage(new InboxWithATwin(jdbc, twinRecords), breaker, redelivery, step.name(),
                "messaging-tests.user-signed-up");
        Delivery delivery = Delivery.of(MessageBuilder.withBody(EventJson.write(event))
                .setMessageId(event.id().toString()).build(), Observation.NOOP);

        List<Delivery> admitted = triage.admit(List.of(delivery));

        assertThat(admitted).as("deliveries that would call the downstream").isEmpty();
        assertThat(delivery.fate()).isInstanceOfAny(Fate.Deferred.class, Fate.Duplicate.class);
        assertThat(claims(event)).as("no claim left behind").isZero();
    }

    /** The inbox, with the other delivery's commit between this delivery's first statement and its second. */
    static class InboxWithATwin extends Inbox {

        private final Runnable twinRecords;
        private boolean twinRecorded;

        InboxWithATwin(JdbcClient jdbc, Runnable twinRecords) {
            super(jdbc, Duration.ofMinutes(1));
            this.twinRecords = twinRecords;
        }

        @Override
        Set<UUID> processed(Collection<UUID> eventIds) {
            return afterwards(super.processed(eventIds));
        }

        @Override
        Map<UUID, Optional<Instant>> claim(Collection<UUID> eventIds) {
            return afterwards(super.claim(eventIds));
        }

        private <T> T afterwards(T answer) {
            if (!twinRecorded) {
                twinRecorded = true;
                twinRecords.run();
            }
            return answer;
        }
    }

    @Test
    void aBatchCommitsInOneTransactionWhileItsPoisonMessageIsParkedAndItsFailedCallsRetryAlone() {
        List<CloudEvent<UserSignedUp>> good = IntStream.range(0, 8).mapToObj(i -> signup()).toList();
        CloudEvent<UserSignedUp> flaky = signup();
        CloudEvent<UserSignedUp> refused = signup();
        step.failuresLeft.put(flaky.data().userId(), new AtomicInteger(1));
        step.refused.add(refused.data().userId());
        String poisonId = UUID.randomUUID().toString();

        rabbit.invoke(operations -> {
            good.subList(0, 4).forEach(event -> publish(operations, event));
            operations.send(SignupTopology.EXCHANGE, SignupTopology.USER_SIGNED_UP, MessageBuilder
                    .withBody("{not json".getBytes()).setMessageId(poisonId).build());
            publish(operations, flaky);
            publish(operations, refused);
            good.subList(4, 8).forEach(event -> publish(operations, event));
            return null;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> good.stream().allMatch(event -> processed(jdbc, event)));
        assertThat(jdbc.sql("SELECT count(DISTINCT processed_at) FROM inbox WHERE event_id = ANY(?)")
                .params((Object) good.stream().map(CloudEvent::id).toArray(UUID[]::new)).query(Long.class).single())
                .as("one transaction for the batch").isEqualTo(1);
        Map<String, String> parkedReasons = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Message parked = rabbit.receive(DEAD_LETTER_QUEUE);
            if (parked != null) {
                parkedReasons.put(parked.getMessageProperties().getMessageId(),
                        parked.getMessageProperties().getHeader(DeliveryHeaders.REASON));
            }
            return parkedReasons.containsKey(poisonId) && parkedReasons.containsKey(refused.id().toString());
        });
        assertThat(parkedReasons.get(refused.id().toString())).isEqualTo("permanent failure");
        assertThat(parkedReasons.get(poisonId)).contains("malformed");
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, flaky));
        assertThat(step.calls(flaky.data().userId())).isEqualTo(2);
        assertThat(good).allSatisfy(event -> assertThat(results(jdbc, event)).isEqualTo(1));
        assertThat(processed(jdbc, refused)).isFalse();
        assertThat(failed(refused.data().userId())).isTrue();
    }

    @Test
    void effectsThatCannotBeRecordedWhileTheDatabaseIsAwayAreRecordedOnceItIsBackWithoutCallingAgain() {
        CloudEvent<UserSignedUp> event = signup();
        step.recordFailuresLeft.put(event.data().userId(), new AtomicInteger(2));

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).as("the downstream call, made once").isEqualTo(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void theSameEventDeliveredTwiceIsProcessedOnce() {
        CloudEvent<UserSignedUp> event = signup();

        deliverTwice(rabbit, jdbc, event);

        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void aFailingDownstreamIsRetriedOnTheBrokerUntilItSucceeds() {
        CloudEvent<UserSignedUp> event = signup();
        step.failuresLeft.put(event.data().userId(), new AtomicInteger(2));

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(3);
        assertThat(results(jdbc, event)).isEqualTo(1);
        assertThat(resultFor(event.data().userId()).ambiguous()).as("failed calls let go of their claims").isFalse();
    }

    @Test
    void aMalformedMessageIsParkedWithItsReasonAndTheQueueKeepsFlowing() {
        String poisonId = UUID.randomUUID().toString();
        rabbit.send(SignupTopology.EXCHANGE, SignupTopology.USER_SIGNED_UP, MessageBuilder
                .withBody("{not json".getBytes()).setMessageId(poisonId).setContentType("application/json").build());
        CloudEvent<UserSignedUp> after = signup();
        publish(rabbit, after);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, after));
        Message parked = await().atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.receive(DEAD_LETTER_QUEUE),
                        message -> message != null && poisonId.equals(message.getMessageProperties().getMessageId()));
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.REASON)).contains("malformed");
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.ORIGINAL_ROUTING_KEY))
                .isEqualTo(SignupTopology.USER_SIGNED_UP);
        assertThat(new String(parked.getBody())).isEqualTo("{not json");
    }

    @Test
    void aTransientFailurePastTheLastRetryTierIsParkedAndTheStepMarkedFailed() {
        CloudEvent<UserSignedUp> event = signup();
        step.failuresLeft.put(event.data().userId(), new AtomicInteger(1_000));

        publish(rabbit, event);

        Message parked = parked(event);
        assertThat(step.calls(event.data().userId())).isEqualTo(3);
        MessageProperties headers = parked.getMessageProperties();
        assertThat((String) headers.getHeader(DeliveryHeaders.REASON)).isEqualTo("gave up after 3 attempts");
        assertThat((Integer) headers.getHeader(DeliveryHeaders.ATTEMPTS)).isEqualTo(3);
        assertThat((String) headers.getHeader(DeliveryHeaders.EXCEPTION)).isEqualTo(IOException.class.getName());
        assertThat((String) headers.getHeader(DeliveryHeaders.EXCEPTION_MESSAGE)).contains("downstream answered 503");
        assertThat(Instant.parse(headers.getHeader(DeliveryHeaders.FIRST_FAILED_AT)))
                .isBefore(Instant.parse(headers.getHeader(DeliveryHeaders.PARKED_AT)));
        assertThat((String) headers.getHeader(DeliveryHeaders.ORIGINAL_ROUTING_KEY))
                .isEqualTo(SignupTopology.USER_SIGNED_UP);
        SignupStepFailed failed = failedFor(event.data().userId());
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.reason()).startsWith("gave up after 3 attempts: java.io.IOException");
        assertThat(processed(jdbc, event)).isFalse();
    }

    @Test
    void aPermanentFailureIsParkedAtOnce() {
        CloudEvent<UserSignedUp> event = signup();
        step.refused.add(event.data().userId());

        publish(rabbit, event);

        Message parked = parked(event);
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.REASON))
                .isEqualTo("permanent failure");
        assertThat(failedFor(event.data().userId()).reason()).contains("answered 422");
    }

    @Test
    void anEventWithoutAnEmailAddressFailsAtOnceWithoutACall() {
        CloudEvent<UserSignedUp> event = signup("not-an-email", "Mallory");

        publish(rabbit, event);

        Message parked = parked(event);
        assertThat(step.calls(event.data().userId())).isZero();
        assertThat((String) parked.getMessageProperties().getHeader(DeliveryHeaders.REASON))
                .isEqualTo("permanent failure");
        assertThat(failedFor(event.data().userId()).reason())
                .contains("the event has no email address of the form name@domain");
        assertThat(processed(jdbc, event)).isFalse();
    }

    @Test
    void replayedMessagesAreProcessedOnceTheCauseIsFixed() {
        CloudEvent<UserSignedUp> event = signup();
        step.refused.add(event.data().userId());
        publish(rabbit, event);
        await().atMost(Duration.ofSeconds(10)).until(() -> failed(event.data().userId()));

        step.refused.remove(event.data().userId());
        // The failure is recorded before the message is parked: replay once it is there.
        await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.replay(1_000) > 0);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(step.calls(event.data().userId())).isEqualTo(2);
        assertThat(events(event.data().userId(), SignupStepReplayed.TYPE)).isEqualTo(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void replayingAnEventAlreadyProcessedChangesNothing() {
        CloudEvent<UserSignedUp> event = signup();
        publish(rabbit, event);
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        rabbit.send("", DEAD_LETTER_QUEUE, MessageBuilder.withBody(EventJson.write(event))
                .setMessageId(event.id().toString()).setType(event.type()).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.replay(1_000) > 0);
        CloudEvent<UserSignedUp> after = signup();
        publish(rabbit, after);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, after));
        assertThat(step.calls(event.data().userId())).isEqualTo(1);
        assertThat(events(event.data().userId(), SignupStepReplayed.TYPE)).isZero();
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    /** Waits for the event's message in the dead-letter queue, taking out what earlier tests parked ahead of it. */
    private Message parked(CloudEvent<UserSignedUp> event) {
        await().atMost(Duration.ofSeconds(15)).until(() -> failed(event.data().userId()));
        return await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.receive(DEAD_LETTER_QUEUE),
                message -> message != null && event.id().toString().equals(message.getMessageProperties().getMessageId()));
    }

    private long claims(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM claims WHERE event_id = ?").params(event.id()).query(Long.class).single();
    }

    private double ambiguousCount() {
        return meters.get("worker.ambiguous").tag("step", "scripted").counter().count();
    }

    private boolean failed(UUID signupId) {
        return events(signupId, SignupStepFailed.TYPE) > 0;
    }

    private long events(UUID signupId, String type) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE signup_id = :id AND event_type = :type")
                .param("id", signupId).param("type", type).query(Long.class).single();
    }

    private SignupStepFailed failedFor(UUID signupId) {
        String payload = jdbc.sql("SELECT payload FROM outbox WHERE signup_id = :id AND event_type = :type")
                .param("id", signupId).param("type", SignupStepFailed.TYPE).query(String.class).single();
        return EventJson.read(payload.getBytes(), SignupStepFailed.class).data();
    }

    private SignupStepCompleted resultFor(UUID signupId) {
        String payload = jdbc.sql("SELECT payload FROM outbox WHERE signup_id = :id AND event_type = :type")
                .param("id", signupId).param("type", SignupStepCompleted.TYPE).query(String.class).single();
        return EventJson.read(payload.getBytes(), SignupStepCompleted.class).data();
    }
}
