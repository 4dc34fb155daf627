package io.signuppipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServiceChecks;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@SignupApiTest
class SignupApiApplicationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    SimpleMessageListenerContainer results;

    @Test
    void startsInItsOwnSchemaAndDeclaresTheSignupExchange() {
        ServiceChecks.assertStarted(context, "signup", SignupTopology.EXCHANGE);
    }

    @Test
    void readsTheWorkersResultsInBatchesWithTwoConsumers() {
        assertThat(results.getQueueNames()).containsExactly(SignupTopology.STEP_RESULTS_QUEUE);
        assertThat(results.isConsumerBatchEnabled()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(results::getActiveConsumerCount, count -> count == 2);
    }
}
