package io.signuppipeline.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The signup API: accepts a signup with one database transaction and leaves the rest to the workers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SignupApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(SignupApiApplication.class, args);
    }
}
