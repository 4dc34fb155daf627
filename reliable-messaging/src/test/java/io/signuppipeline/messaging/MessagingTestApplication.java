package io.signuppipeline.messaging;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The smallest service that uses reliable-messaging: only what the auto-configuration brings.
 */
@SpringBootApplication
public class MessagingTestApplication {
}
