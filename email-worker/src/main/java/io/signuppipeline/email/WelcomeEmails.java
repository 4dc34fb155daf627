package io.signuppipeline.email;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.Effect;
import io.signuppipeline.messaging.worker.PermanentFailure;
import io.signuppipeline.messaging.worker.SignupStep;
import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Sends each new user a welcome email, in text and HTML, through the SMTP server in {@code spring.mail.*}.
 *
 * <p>SMTP has no idempotency key: if the worker dies after the server accepted the email and before
 * the transaction that records it commits, or the connection fails after the server took the email
 * and before it said so, the event is tried again and the email is sent twice. Those windows are
 * the only ones; every other redelivery finds the event in the inbox and sends nothing.
 */
@Component
class WelcomeEmails implements SignupStep<String> {

    private static final Pattern UNSAFE_IN_A_GREETING =
            Pattern.compile("[ \\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]+");

    private final JavaMailSenderImpl mail;
    private final SmtpConnections connections;
    private final WelcomeEmailProperties properties;
    private final JdbcTemplate jdbc;
    private final ObservationRegistry observations;

    WelcomeEmails(JavaMailSenderImpl mail, WelcomeEmailProperties properties, JdbcTemplate jdbc,
            ObservationRegistry observations) {
        this.mail = mail;
        this.connections = new SmtpConnections(mail, properties.smtpConnections());
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
                    .observeChecked(() -> connections.send(message));
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
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

    @Override
    public void record(List<Effect<String>> emails) {
        jdbc.batchUpdate("INSERT INTO welcome_emails (event_id, signup_id, message_id) VALUES (?, ?, ?)", emails,
                emails.size(), (insert, email) -> {
                    insert.setObject(1, email.event().id());
                    insert.setObject(2, email.event().data().userId());
                    insert.setString(3, email.result());
                });
    }

    /** The email's Message-ID. */
    @Override
    public String detail(String messageId) {
        return messageId;
    }

    /** Says goodbye to the SMTP server on every connection still open. */
    @PreDestroy
    void closeConnections() {
        connections.close();
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
