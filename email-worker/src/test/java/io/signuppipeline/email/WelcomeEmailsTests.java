package io.signuppipeline.email;

import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.retries;
import static io.signuppipeline.testing.SignupEvents.results;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.UsesTestServices;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The email worker against a real SMTP server (GreenMail), reached through a proxy the test can cut.
 */
@SpringBootTest(properties = {"messaging.consumer.retry-delays=500ms,1s,2s,4s,8s", "worker.email.app-name=Test App"})
@UsesTestServices
class WelcomeEmailsTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    static TcpProxy smtpProxy;

    @DynamicPropertySource
    static void sendThroughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> {
            smtpProxy = TcpProxy.to("127.0.0.1", smtp.getSmtp().getPort());
            return smtpProxy.port();
        });
    }

    @AfterAll
    static void closeProxy() {
        smtpProxy.close();
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void sendsAWelcomeEmailInTextAndHtmlAndRecordsItsMessageId() throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "Grace Hopper");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        MimeMessage email = single(emailsTo(event));
        assertThat(email.getSubject()).isEqualTo("Welcome to Test App");
        String body = GreenMailUtil.getBody(email);
        assertThat(body).contains("text/plain").contains("text/html").contains("Hello Grace Hopper")
                .contains("<strong>Test App</strong>");
        String recorded = jdbc.sql("SELECT message_id FROM welcome_emails WHERE event_id = :id")
                .param("id", event.id()).query(String.class).single();
        assertThat(recorded).isEqualTo(email.getMessageID()).isNotBlank();
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void theSameEventDeliveredTwiceSendsOneEmail() throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "Ada Lovelace");

        deliverTwice(rabbit, jdbc, event);

        assertThat(emailsTo(event)).hasSize(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @Test
    void markupInTheNameIsEscapedInTheHtmlPart() throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "<b>Eve</b>");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        String body = GreenMailUtil.getBody(single(emailsTo(event)));
        assertThat(body).contains("Hello &lt;b&gt;Eve&lt;/b&gt;").doesNotContain("Hello <b>Eve</b>,</p>");
    }

    @Test
    void whileTheSmtpServerIsDownNothingIsRecordedAndNothingIsLost() throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "Offline");
        double retriesBefore = retries(meters);

        smtpProxy.cut();
        try {
            publish(rabbit, event);
            await().atMost(Duration.ofSeconds(10)).until(() -> retries(meters) >= retriesBefore + 2);
            assertThat(processed(jdbc, event)).isFalse();
            assertThat(emailsTo(event)).isEmpty();
        } finally {
            smtpProxy.restore();
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(emailsTo(event)).hasSize(1);
    }

    private static List<MimeMessage> emailsTo(CloudEvent<UserSignedUp> event) throws MessagingException {
        String address = event.data().email();
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> recipients(message).contains(address))
                .toList();
    }

    private static String recipients(MimeMessage message) {
        try {
            return Arrays.toString(message.getRecipients(Message.RecipientType.TO));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage single(List<MimeMessage> emails) {
        assertThat(emails).hasSize(1);
        return emails.getFirst();
    }

    private static String uniqueAddress() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }
}
