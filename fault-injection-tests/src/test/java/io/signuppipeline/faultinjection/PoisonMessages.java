package io.signuppipeline.faultinjection;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.ServiceProcess;
import io.signuppipeline.testing.ServicePipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * Messages no worker can process are published straight to the exchange, in the middle of a steady
 * load of real signups: a body that is not JSON, an event without a message id, an event of another
 * type, a message id that is not the event's, a signup without an email. Each worker must park
 * every one in its own dead-letter queue with the reason in its headers, and go on with the real
 * signups; none may die.
 */
final class PoisonMessages implements FaultScenario {

    private static final Cohort COHORT = new Cohort("poison");
    private static final int SIGNUPS = 200;
    private static final int PER_SECOND = 40;
    private static final String REASON = "x-parked-reason";

    @Override
    public String name() {
        return "poison messages published straight to the exchange";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        LoadRun load = LoadRun.steady(pipeline.client(), COHORT, SIGNUPS, PER_SECOND);
        Map<String, Poison> poisons = poisons();
        poisons.values().forEach(poison -> pipeline.queues().publish(SignupTopology.USER_SIGNED_UP,
                poison.properties(), poison.body()));
        Narrator.say("Published %d poison messages to %s: %s", poisons.size(), SignupTopology.EXCHANGE,
                poisons.keySet());
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(2));
        Map<String, Map<String, String>> reasons = new LinkedHashMap<>();
        for (String worker : ServicePipeline.WORKERS) {
            reasons.put(worker, parkedReasons(pipeline, worker, poisons.keySet()));
        }
        reasons.forEach((worker, parked) -> Narrator.say("  %s parked %d of %d poison messages: %s", worker,
                parked.size(), poisons.size(), parked));
        List<String> dead = pipeline.services().workers().stream().filter(worker -> !worker.healthy())
                .map(ServiceProcess::toString).toList();
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        long parked = pipeline.queues().parked() - parkedBefore;
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, parked, "%d poison messages x %d workers parked %d; "
                        .formatted(poisons.size(), ServicePipeline.WORKERS.size(), reasons.values().stream()
                                .mapToInt(Map::size).sum()) + "workers down afterwards: " + dead.size()));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(accepted).as("every real signup answered 201").hasSize(SIGNUPS);
            soft.assertThat(accepted.size() - done.size()).as("real signups not fully processed").isZero();
            reasons.forEach((worker, parkedByWorker) -> {
                soft.assertThat(parkedByWorker.keySet()).as("poison parked by %s", worker)
                        .containsExactlyInAnyOrderElementsOf(poisons.keySet());
                soft.assertThat(parkedByWorker.values()).as("reasons given by %s", worker)
                        .allSatisfy(reason -> soft.assertThat(reason).isNotBlank());
            });
            soft.assertThat(parked).as("parked in all").isEqualTo((long) poisons.size() * ServicePipeline.WORKERS.size());
            soft.assertThat(dead).as("workers that died of the poison").isEmpty();
        });
    }

    /** The poison messages in this worker's dead-letter queue, by name, with the reason it gave. */
    private static Map<String, String> parkedReasons(PipelineUnderTest pipeline, String worker, Set<String> names) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (GetResponse message : pipeline.queues().peek(BrokerQueues.workerQueue(worker) + ".dlq")) {
            Map<String, Object> headers = message.getProps().getHeaders();
            Object poison = headers == null ? null : headers.get("x-poison");
            if (poison != null && names.contains(poison.toString())) {
                reasons.put(poison.toString(), String.valueOf(headers.get(REASON)));
            }
        }
        return reasons;
    }

    /**
     * The poison, by name. Each carries an {@code x-poison} header naming it, which parking keeps,
     * so the scenario finds its own messages among what else is parked.
     */
    private static Map<String, Poison> poisons() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CloudEvent<UserSignedUp> event = signup();
        CloudEvent<UserSignedUp> noEmail = CloudEvent.of(UUID.randomUUID(), "/poison", UserSignedUp.TYPE,
                Instant.now(), new UserSignedUp(UUID.randomUUID(), null, "No Email", "203.0.113.9", "poison"));
        CloudEvent<UserSignedUp> otherType = CloudEvent.of(UUID.randomUUID(), "/poison", "user.deleted",
                Instant.now(), signup().data());
        Map<String, Poison> poisons = new LinkedHashMap<>();
        poisons.put("not-json", new Poison("not-json", "poison-" + run, "{not json".getBytes(StandardCharsets.UTF_8)));
        poisons.put("no-message-id", new Poison("no-message-id", null, EventJson.write(signup())));
        poisons.put("other-type", new Poison("other-type", otherType.id().toString(), EventJson.write(otherType)));
        poisons.put("id-mismatch", new Poison("id-mismatch", UUID.randomUUID().toString(), EventJson.write(event)));
        poisons.put("no-email", new Poison("no-email", noEmail.id().toString(), EventJson.write(noEmail)));
        return poisons;
    }

    private static CloudEvent<UserSignedUp> signup() {
        return CloudEvent.of(UUID.randomUUID(), "/poison", UserSignedUp.TYPE, Instant.now(), new UserSignedUp(
                UUID.randomUUID(), "nobody-" + UUID.randomUUID() + "@poison.invalid", "Nobody", "203.0.113.9", "poison"));
    }

    /** One poison message: its name, its message id (null for none) and its body. */
    private record Poison(String name, String messageId, byte[] body) {

        AMQP.BasicProperties properties() {
            return new AMQP.BasicProperties.Builder().messageId(messageId).contentType(CloudEvent.CONTENT_TYPE)
                    .deliveryMode(2).headers(Map.of("x-poison", name)).build();
        }
    }
}
