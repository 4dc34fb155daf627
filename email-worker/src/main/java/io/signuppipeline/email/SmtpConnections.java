package io.signuppipeline.email;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * SMTP connections kept open from one email to the next, at most {@code size} at once.
 *
 * <p>Spring's {@code JavaMailSender} connects, greets, sends one email and quits every time: seven
 * round trips, of which the email itself needs four (MAIL, RCPT, DATA and the body). Here an email
 * borrows an open connection and gives it back once the server has accepted it.
 *
 * <p>A connection is never used again after a failure: whatever went wrong, the email is not sent a
 * second time on it, because the server may have taken it before the failure (inside DATA, say).
 * The email goes to its retry tier like any failed email. A connection that has been idle for a
 * while is asked with a NOOP first, and replaced if the server has dropped it: that is the only
 * reconnecting, and it happens before MAIL, when nothing has been sent.
 */
class SmtpConnections implements AutoCloseable {

    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(2).toNanos();

    private final JavaMailSenderImpl mail;
    private final Semaphore inUse;
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();

    SmtpConnections(JavaMailSenderImpl mail, int size) {
        this.mail = mail;
        this.inUse = new Semaphore(size, true);
    }

    /** Sends the email on an open connection, as Spring's sender would on a new one. */
    void send(MimeMessage email) throws MessagingException {
        inUse.acquireUninterruptibly();
        Connection connection = null;
        try {
            connection = borrow();
            if (email.getSentDate() == null) {
                email.setSentDate(new Date());
            }
            email.saveChanges();
            Address[] recipients = email.getAllRecipients();
            connection.transport().sendMessage(email, recipients == null ? new Address[0] : recipients);
            idle.add(new Connection(connection.transport(), System.nanoTime()));
            connection = null;
        } finally {
            if (connection != null) {
                close(connection.transport());
            }
            inUse.release();
        }
    }

    private Connection borrow() throws MessagingException {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            boolean fresh = System.nanoTime() - connection.lastUsed() < CHECK_AFTER_IDLE_NANOS;
            if (fresh || connection.transport().isConnected()) {
                return connection;
            }
            close(connection.transport());
        }
        Transport transport = mail.getSession().getTransport(mail.getProtocol());
        // As Spring's sender does: an empty user name means no authentication.
        boolean anonymous = mail.getUsername() == null || mail.getUsername().isEmpty();
        transport.connect(mail.getHost(), mail.getPort(), anonymous ? null : mail.getUsername(),
                anonymous ? null : mail.getPassword());
        return new Connection(transport, System.nanoTime());
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // Closing a connection given up on: nothing to save.
        }
    }

    @Override
    public void close() {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            close(connection.transport());
        }
    }

    /** An open connection and when it last carried an email. */
    private record Connection(Transport transport, long lastUsed) {
    }
}
