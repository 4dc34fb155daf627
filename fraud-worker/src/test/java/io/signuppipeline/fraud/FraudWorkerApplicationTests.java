package io.signuppipeline.fraud;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServiceChecks;
import io.signuppipeline.testing.UsesTestServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

// The same retry delay as this module's other tests: they share one vhost, and a queue's TTL cannot change.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "messaging.consumer.retry-delays=500ms,1s,2s,4s,8s")
@UsesTestServices
class FraudWorkerApplicationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void startsInItsOwnSchemaAndDeclaresTheSignupExchange() {
        ServiceChecks.assertStarted(context, "fraud", SignupTopology.EXCHANGE);
    }
}
