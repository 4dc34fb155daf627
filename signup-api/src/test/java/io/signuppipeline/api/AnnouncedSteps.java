package io.signuppipeline.api;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Before each test, the API knows the project's four workers and no other step, as if each had
 * started and announced itself over the broker, with no address unless a test gives one. The
 * workers themselves do not run in this module's tests.
 */
public final class AnnouncedSteps implements BeforeEachCallback {

    /** The roster's workers, step name to service, in the order they announce themselves here. */
    public static final Map<String, String> WORKERS = workers();

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Override
    public void beforeEach(ExtensionContext context) {
        announce(SpringExtension.getApplicationContext(context), Map.of());
    }

    /**
     * Announces the four workers with these addresses (service to URL; none for the others) unless
     * the API already knows exactly that, retires every other step, and waits until the API's own
     * view of the steps says so.
     */
    public static void announce(ApplicationContext spring, Map<String, String> urls) {
        KnownSteps known = spring.getBean(KnownSteps.class);
        if (exactly(known.all(), urls)) {
            return;
        }
        spring.getBean(JdbcClient.class).sql("UPDATE steps SET retired_at = now() WHERE retired_at IS NULL AND NOT step = ANY(?)")
                .params((Object) WORKERS.keySet().toArray(String[]::new)).update();
        RabbitTemplate rabbit = spring.getBean(RabbitTemplate.class);
        Instant now = Instant.now();
        int position = 0;
        for (Map.Entry<String, String> worker : WORKERS.entrySet()) {
            // A millisecond apart, so that the steps become known in reading order.
            Instant at = now.minusMillis(WORKERS.size() - position++);
            publish(rabbit, new SignupStepAnnounced(worker.getKey(), worker.getValue(),
                    SignupTopology.workQueue(worker.getValue()), urls.get(worker.getValue()), now), at);
        }
        await().atMost(WITHIN).until(() -> exactly(known.all(), urls));
    }

    /** Publishes one announcement, made at that instant, the way a worker does. */
    public static void publish(RabbitTemplate rabbit, SignupStepAnnounced announced, Instant at) {
        CloudEvent<SignupStepAnnounced> event = CloudEvent.of(UUID.randomUUID(), "/" + announced.service(),
                SignupStepAnnounced.TYPE, at, announced);
        rabbit.send(SignupTopology.EXCHANGE, SignupStepAnnounced.TYPE, MessageBuilder.withBody(EventJson.write(event))
                .setMessageId(event.id().toString()).setType(SignupStepAnnounced.TYPE)
                .setContentType(CloudEvent.CONTENT_TYPE).build());
    }

    private static boolean exactly(List<Step> steps, Map<String, String> urls) {
        List<Step> active = steps.stream().filter(Step::active).toList();
        return active.size() == WORKERS.size() && WORKERS.entrySet().stream().allMatch(worker -> active.stream()
                .anyMatch(step -> step.name().equals(worker.getKey()) && step.service().equals(worker.getValue())
                        && Objects.equals(step.url(), urls.get(worker.getValue()))));
    }

    private static Map<String, String> workers() {
        Map<String, String> workers = new LinkedHashMap<>();
        Worker.ALL.forEach(worker -> workers.put(worker.step(), worker.service()));
        return workers;
    }
}
