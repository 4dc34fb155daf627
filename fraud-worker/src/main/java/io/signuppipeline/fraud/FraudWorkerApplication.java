package io.signuppipeline.fraud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Scores each new signup with the fraud-scoring API.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FraudWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FraudWorkerApplication.class, args);
    }
}
