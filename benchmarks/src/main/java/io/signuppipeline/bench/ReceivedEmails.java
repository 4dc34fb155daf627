package io.signuppipeline.bench;

import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.internet.MimeMessage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one recipient GreenMail delivers every welcome email to in the benchmark: it counts them and
 * keeps none. GreenMail still takes each email over SMTP, to the end of DATA; what it no longer does
 * is parse it and file it in a mailbox of its recipient's: creating a mailbox compares the address
 * with every mailbox already there, and in a burst of 50,000 new users that quadratic work made the
 * SMTP server, not the email worker, the limit (88% of this JVM's CPU in a profile after 28,000
 * emails; the parsing alone was a quarter of it). Nothing in the benchmark reads the emails back.
 */
final class ReceivedEmails implements GreenMailUser {

    private static final String ADDRESS = "welcome-emails@bench.local";

    private final AtomicLong received = new AtomicLong();

    long count() {
        return received.get();
    }

    @Override
    public void deliver(MovingMessage message) {
        received.incrementAndGet();
    }

    @Override
    public void deliver(MimeMessage message) {
        received.incrementAndGet();
    }

    @Override
    public String getEmail() {
        return ADDRESS;
    }

    @Override
    public String getLogin() {
        return ADDRESS;
    }

    @Override
    public void create() {
        // No mailbox: nothing is kept.
    }

    @Override
    public void delete() {
        // No mailbox: nothing is kept.
    }

    @Override
    public String getPassword() {
        return "";
    }

    @Override
    public void setPassword(String password) {
        // Nobody logs in: the benchmark reads no email back.
    }

    @Override
    public void authenticate(String password) {
        // Nobody logs in: the benchmark reads no email back.
    }

    @Override
    public String getQualifiedMailboxName() {
        return ADDRESS;
    }
}
