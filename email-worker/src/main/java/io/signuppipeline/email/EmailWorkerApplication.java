package io.signuppipeline.email;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Sends each new user a welcome email.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmailWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmailWorkerApplication.class, args);
    }
}
