package io.signuppipeline.messaging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the log says when an announcement does not get through: a broker that is away is named as
 * such, without the hint about an undeclared queue that only a returned announcement deserves.
 */
@ExtendWith(OutputCaptureExtension.class)
class StepAnnouncerLogTests {

    @Test
    void aBrokerThatIsAwayIsReportedWithoutBlamingTheQueue(CapturedOutput output) throws IOException {
        CachingConnectionFactory nobodyListening = new CachingConnectionFactory("127.0.0.1", unusedPort());
        StepAnnouncer announcer = new StepAnnouncer(new MandatoryRabbitTemplate(nobodyListening), "crm",
                "announcer-log-tests", "announcer-log-tests.user-signed-up", () -> null, Duration.ofSeconds(30));
        try {
            announcer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Step crm NOT ANNOUNCED"));
        } finally {
            announcer.stop();
            nobodyListening.destroy();
        }

        assertThat(output.getAll()).contains("Step crm NOT ANNOUNCED yet: Connection refused; trying again with a "
                + "backoff up to 30 s").doesNotContain("queue declared");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
