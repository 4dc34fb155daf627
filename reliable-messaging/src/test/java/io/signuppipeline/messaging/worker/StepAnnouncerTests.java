package io.signuppipeline.messaging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.events.contract.EventContract;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A worker tells whoever listens which step it does: nobody has to configure the signup API with it.
 */
// A name of its own: its work queue is not the one the other worker tests declare with other retry tiers.
@SpringBootTest(properties = {"spring.application.name=announcer-tests", "messaging.worker.announce-every=1s",
        "messaging.worker.url=http://crm-worker:8089"})
@DirtiesContext
@UsesTestServices
class StepAnnouncerTests {

    private static final Instant TEST_STARTED = Instant.now();

    @TestConfiguration
    static class AnnouncedStepConfiguration {

        @Bean
        SignupStep<String> crmSync() {
            return new SignupStep<>() {
                @Override
                public String name() {
                    return "crm";
                }

                @Override
                public String on(CloudEvent<UserSignedUp> event) {
                    return "contact-" + event.data().userId();
                }

                @Override
                public void record(List<Effect<String>> effects) {
                }
            };
        }
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    AmqpAdmin admin;

    @Test
    void theWorkerAnnouncesItsStepQueueAndAddressOnceSomeoneListensAndAgainEveryInterval() {
        // Bound only now, after the worker started: its first announcements were returned unroutable.
        // Not auto-delete: each receive below subscribes and cancels.
        Queue listener = new Queue("announcer-tests.step-announced", false, false, false);
        admin.declareQueue(listener);
        admin.declareBinding(BindingBuilder.bind(listener).to(new TopicExchange(SignupTopology.EXCHANGE))
                .with(SignupTopology.STEP_ANNOUNCED));
        List<Message> crm = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Message message = rabbit.receive(listener.getName(), 500);
            if (message != null && EventJson.read(message.getBody(), SignupStepAnnounced.class).data().step()
                    .equals("crm")) {
                crm.add(message);
            }
            return crm.size() >= 2;
        });

        CloudEvent<SignupStepAnnounced> first = EventJson.read(crm.getFirst().getBody(), SignupStepAnnounced.class);
        CloudEvent<SignupStepAnnounced> second = EventJson.read(crm.get(1).getBody(), SignupStepAnnounced.class);
        assertThat(first.data().service()).isEqualTo("announcer-tests");
        assertThat(first.data().queue()).isEqualTo("announcer-tests.user-signed-up");
        assertThat(first.data().url()).isEqualTo("http://crm-worker:8089");
        assertThat(first.data().startedAt()).isAfterOrEqualTo(TEST_STARTED.minusSeconds(60)).isBeforeOrEqualTo(first.time());
        assertThat(second.data().startedAt()).as("the same instance").isEqualTo(first.data().startedAt());
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(crm.getFirst().getMessageProperties().getType()).isEqualTo(SignupStepAnnounced.TYPE);
        assertThat(crm.getFirst().getMessageProperties().getMessageId()).isEqualTo(first.id().toString());
        EventContract.STEP_ANNOUNCED.assertSameShapeAsFixture(crm.getFirst().getBody());
        admin.deleteQueue(listener.getName());
    }
}
