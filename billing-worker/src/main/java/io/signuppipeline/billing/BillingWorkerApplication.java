package io.signuppipeline.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Creates each new user's Stripe customer.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingWorkerApplication.class, args);
    }
}
