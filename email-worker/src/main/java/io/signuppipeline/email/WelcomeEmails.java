package io.signuppipeline.email;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.PermanentFailure;
import io.signuppipeline.messaging.worker.SignupStep;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Sends each new user a welcome email, in text and HTML, through the SMTP server in {@code spring.mail.*}.
 *
 * <p>SMTP has no idempotency key: if the worker dies after the server accepted the email and before
 * the transaction that records it commits, the event is delivered again and the email is sent twice.
 * That window is the only one; every other redelivery finds the event in the inbox and sends nothing.
 */
@Component
class WelcomeEmails implements SignupStep<String> {

    private static final Pattern UNSAFE_IN_A_GREETING =
            Pattern.compile("[ \\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]+");

    private final JavaMailSender mail;
    private final WelcomeEmailProperties properties;
    private final JdbcClient jdbc;
    private final ObservationRegistry observations;

    WelcomeEmails(JavaMailSender mail, WelcomeEmailProperties properties, JdbcClient jdbc,
            ObservationRegistry observations) {
        this.mail = mail;
        this.properties = properties;
        this.jdbc = jdbc;
        this.observations = observations;
    }

    @Override
    public String name() {
        return SignupTopology.EMAIL_STEP;
    }

    /** Sends the email and answers its Message-ID. */
    @Override
    public String on(CloudEvent<UserSignedUp> event) throws MessagingException, PermanentFailure {
        UserSignedUp user = event.data();
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper email = new MimeMessageHelper(message, true, "UTF-8");
        email.setFrom(properties.from());
        email.setTo(recipient(user.email()));
        // The name stays out of the headers: a header is where a stray line break would do harm.
        email.setSubject("Welcome to " + properties.appName());
        String name = oneLine(user.name());
        email.setText(text(name), html(name));
        try {
            // Jakarta Mail has no observation of its own: this one is the SMTP exchange's span in the
            // signup's trace and its timer (smtp.send) on /actuator/prometheus.
            Observation.createNotStarted("smtp.send", observations)
                    .contextualName("smtp send")
                    .lowCardinalityKeyValue("peer.service", "smtp")
                    .observe(() -> mail.send(message));
        } catch (MailSendException e) {
            if (addressRejected(e)) {
                throw new PermanentFailure("the mail server rejected the address for good", e);
            }
            throw e;
        }
        return message.getMessageID();
    }

    /**
     * The event's address, parsed strictly: exactly one address, no display name, no line break that
     * could end the header, no comment. The API refuses such addresses, but events may come from
     * elsewhere; a retry cannot fix one, so it is parked at once.
     */
    private static InternetAddress recipient(String address) throws PermanentFailure {
        try {
            InternetAddress recipient = new InternetAddress(address, true);
            if (recipient.getPersonal() == null && recipient.getAddress().equals(address)) {
                return recipient;
            }
        } catch (AddressException e) {
            // Refused below; its message would repeat the address, which belongs in no log or header.
        }
        throw new PermanentFailure("the event's email is not one plain address", null);
    }

    /**
     * The name on one line and in reading order: each run of spaces, control characters, line and
     * paragraph separators and bidi embeddings, overrides and isolates becomes one space. The text and
     * HTML parts cannot then carry lines the name added, such as a fake MIME boundary, nor show the
     * text after the name reversed.
     */
    private static String oneLine(String name) {
        return UNSAFE_IN_A_GREETING.matcher(name).replaceAll(" ").strip();
    }

    /**
     * The server refused the recipient for good (a 5xx answer: Jakarta Mail lists it among the invalid
     * addresses); a 4xx answer or a lost connection may pass later.
     */
    private static boolean addressRejected(MailSendException e) {
        return Stream.of(e.getMessageExceptions()).anyMatch(failure -> {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof SendFailedException rejected && rejected.getInvalidAddresses() != null
                        && rejected.getInvalidAddresses().length > 0) {
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public String record(CloudEvent<UserSignedUp> event, String messageId) {
        jdbc.sql("INSERT INTO welcome_emails (event_id, signup_id, message_id) VALUES (:eventId, :signupId, :messageId)")
                .param("eventId", event.id())
                .param("signupId", event.data().userId())
                .param("messageId", messageId)
                .update();
        return messageId;
    }

    private String text(String name) {
        return """
                Hello %s,

                welcome to %s! Your account is ready.

                The %s team
                """.formatted(name, properties.appName(), properties.appName());
    }

    private String html(String name) {
        String app = HtmlUtils.htmlEscape(properties.appName());
        return """
                <!DOCTYPE html>
                <html><body>
                <p>Hello %s,</p>
                <p>welcome to <strong>%s</strong>! Your account is ready.</p>
                <p>The %s team</p>
                </body></html>
                """.formatted(HtmlUtils.htmlEscape(name), app, app);
    }
}
