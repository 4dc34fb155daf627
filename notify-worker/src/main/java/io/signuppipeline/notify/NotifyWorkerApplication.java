package io.signuppipeline.notify;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Announces each new signup in Slack.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotifyWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotifyWorkerApplication.class, args);
    }
}
