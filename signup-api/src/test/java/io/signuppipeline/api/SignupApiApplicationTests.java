package io.signuppipeline.api;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServiceChecks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@SignupApiTest
class SignupApiApplicationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Test
    void startsInItsOwnSchemaAndDeclaresTheSignupExchange() {
        ServiceChecks.assertStarted(context, "signup", SignupTopology.EXCHANGE);
    }

    @Test
    void readsTheWorkersResultsWithFourConsumers() {
        SimpleMessageListenerContainer results = listeners.getListenerContainers().stream()
                .map(SimpleMessageListenerContainer.class::cast)
                .filter(container -> List.of(container.getQueueNames()).contains(SignupTopology.STEP_RESULTS_QUEUE))
                .findFirst().orElseThrow();

        await().atMost(Duration.ofSeconds(10)).until(results::getActiveConsumerCount, count -> count == 4);
    }
}
