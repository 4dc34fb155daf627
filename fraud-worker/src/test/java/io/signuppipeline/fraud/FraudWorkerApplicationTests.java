package io.signuppipeline.fraud;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServiceChecks;
import io.signuppipeline.testing.TestRetryTiers;
import io.signuppipeline.testing.UsesTestServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsesTestServices
@TestRetryTiers
class FraudWorkerApplicationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void startsInItsOwnSchemaAndDeclaresTheSignupExchange() {
        ServiceChecks.assertStarted(context, "fraud", SignupTopology.EXCHANGE);
    }
}
