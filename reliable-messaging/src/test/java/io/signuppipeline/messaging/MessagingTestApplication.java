package io.signuppipeline.messaging;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest service that uses reliable-messaging: only what the auto-configuration brings. It
 * scans nothing, so the library's classes come in the way a service gets them, through their
 * auto-configuration, and each test adds its own beans with a nested {@code @TestConfiguration}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MessagingTestApplication {
}
