package io.signuppipeline.messaging.consumer;

import com.rabbitmq.client.ShutdownSignalException;
import java.net.SocketException;
import java.sql.SQLTransientConnectionException;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure caused by the broker or the database being away from one the work itself caused.
 */
public final class Outages {

    private Outages() {
    }

    /** The broker connection or the database is gone or refusing (a login too): nothing the message itself did. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AmqpConnectException || cause instanceof AmqpIOException
                    || cause instanceof AmqpAuthenticationException
                    || cause instanceof ShutdownSignalException || cause instanceof SocketException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
