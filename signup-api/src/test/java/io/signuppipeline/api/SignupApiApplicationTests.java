package io.signuppipeline.api;

import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServiceChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@SignupApiTest
class SignupApiApplicationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void startsInItsOwnSchemaAndDeclaresTheSignupExchange() {
        ServiceChecks.assertStarted(context, "signup", SignupTopology.EXCHANGE);
    }
}
