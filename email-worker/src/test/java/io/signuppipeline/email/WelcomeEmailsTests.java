package io.signuppipeline.email;

import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.retries;
import static io.signuppipeline.testing.SignupEvents.results;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.RecordedObservations;
import io.signuppipeline.testing.TcpProxy;
import io.signuppipeline.testing.TestRetryTiers;
import io.signuppipeline.testing.UsesTestServices;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The email worker against a real SMTP server (GreenMail), reached through a proxy the test can cut.
 */
@SpringBootTest(properties = "worker.email.app-name=Test App")
@UsesTestServices
@TestRetryTiers
@Import(RecordedObservations.class)
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

    @Autowired
    RecordedObservations observations;

    @Test
    void theSmtpExchangeIsObservedInsideTheMessagesListenerObservationAndTimed() {
        double timedBefore = smtpSendsTimed();
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "Olga Taussky");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(observations.parentsOf("smtp.send")).isNotEmpty().containsOnly("spring.rabbit.listener");
        assertThat(smtpSendsTimed()).isGreaterThan(timedBefore);
    }

    private double smtpSendsTimed() {
        Timer timer = meters.find("smtp.send").timer();
        return timer == null ? 0 : timer.count();
    }

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
    void aBurstOfEmailsSharesAFewSmtpConnections() throws Exception {
        List<CloudEvent<UserSignedUp>> events = IntStream.range(0, 40)
                .mapToObj(i -> signup(uniqueAddress(), "Burst " + i)).toList();
        int connectionsBefore = smtpProxy.connectionsAccepted();

        rabbit.invoke(operations -> {
            events.forEach(event -> publish(operations, event));
            return null;
        });

        await().atMost(Duration.ofSeconds(15)).until(() -> events.stream().allMatch(event -> processed(jdbc, event)));
        assertThat(events).allSatisfy(event -> assertThat(emailsTo(event)).hasSize(1));
        assertThat(smtpProxy.connectionsAccepted() - connectionsBefore)
                .as("connections opened for 40 emails, four at a time (one more each if an earlier test left "
                        + "a connection the server had dropped)")
                .isLessThanOrEqualTo(8);
    }

    @Test
    void theSameEventDeliveredTwiceSendsOneEmail() throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), "Ada Lovelace");

        deliverTwice(rabbit, jdbc, event);

        assertThat(emailsTo(event)).hasSize(1);
        assertThat(results(jdbc, event)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "<b>Eve</b>                       | &lt;b&gt;Eve&lt;/b&gt;",
            "<script>alert(1)</script>        | &lt;script&gt;alert(1)&lt;/script&gt;",
            "`\"><img src=x onerror=alert(1)>` | &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"})
    void markupInTheNameIsEscapedInTheHtmlPartAndKeptAsTextInTheTextPart(String name, String escaped)
            throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), name);

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        MimeMessage email = single(emailsTo(event));
        assertThat(part(email, "text/html")).contains("<p>Hello " + escaped + ",</p>")
                .doesNotContain("<b>", "<script", "<img");
        assertThat(part(email, "text/plain")).contains("Hello " + name + ",");
    }

    @Test
    void aNameWithLineBreaksAddsNoHeaderAndNoRecipient() throws Exception {
        String elsewhere = "evil-" + UUID.randomUUID() + ".example";
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(),
                "Ada\r\nBcc: eve@" + elsewhere + "\r\nX-Injected: yes");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        MimeMessage email = single(emailsTo(event));
        assertThat(email.getAllRecipients()).extracting(Address::toString).containsExactly(event.data().email());
        assertThat(email.getHeader("Bcc")).isNull();
        assertThat(email.getHeader("X-Injected")).isNull();
        assertThat(email.getSubject()).isEqualTo("Welcome to Test App");
        assertThat(smtp.getReceivedMessagesForDomain(elsewhere)).isEmpty();
        assertThat(part(email, "text/plain")).contains("Hello Ada Bcc: eve@" + elsewhere + " X-Injected: yes,");
    }

    static Stream<Arguments> namesThatCouldBreakTheGreeting() {
        return Stream.of(
                arguments("Ada\r\nLovelace", "Ada Lovelace"),
                arguments("Ada\u2028Lovelace", "Ada Lovelace"),
                arguments("Ada\0\u001b[31mLovelace", "Ada [31mLovelace"),
                arguments("Ada \u202Eecalevol", "Ada ecalevol"),
                arguments("\u2067Eve\u2069 Ada", "Eve Ada"));
    }

    @ParameterizedTest
    @MethodSource("namesThatCouldBreakTheGreeting")
    void theNameIsGreetedOnOneLineInReadingOrder(String name, String greeted) throws Exception {
        CloudEvent<UserSignedUp> event = signup(uniqueAddress(), name);

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        MimeMessage email = single(emailsTo(event));
        assertThat(part(email, "text/plain")).contains("Hello " + greeted + ",\r\n");
        assertThat(part(email, "text/html")).contains("<p>Hello " + greeted + ",</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s\r\nBcc: eve@%s", "%s, eve@%s", "Victim <%s> eve@%s"})
    void anAddressThatIsNotOnePlainAddressIsParkedAtOnceAndNothingIsSent(String pattern) throws Exception {
        String victim = uniqueAddress();
        String elsewhere = "evil-" + UUID.randomUUID() + ".example";
        CloudEvent<UserSignedUp> event = signup(pattern.formatted(victim, elsewhere), "Mallory");
        double retriesBefore = retries(meters);

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> stepFailed(event));
        assertThat(retries(meters)).as("no retry: it can never succeed").isEqualTo(retriesBefore);
        assertThat(processed(jdbc, event)).isFalse();
        assertThat(smtp.getReceivedMessagesForDomain(elsewhere)).isEmpty();
        assertThat(Arrays.stream(smtp.getReceivedMessages()).filter(message -> recipients(message).contains(victim)))
                .isEmpty();
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

    private boolean stepFailed(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE signup_id = :id AND event_type = 'signup.step_failed'")
                .param("id", event.data().userId()).query(Long.class).single() == 1;
    }

    /** The decoded content of the message's first part of this type, however deep in its multiparts. */
    private static String part(MimeMessage message, String type) throws MessagingException, IOException {
        String content = partOf(message.getContent(), type);
        assertThat(content).as("a %s part", type).isNotNull();
        return content;
    }

    private static String partOf(Object content, String type) throws MessagingException, IOException {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                String found = part.isMimeType(type) ? (String) part.getContent() : partOf(part.getContent(), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
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
