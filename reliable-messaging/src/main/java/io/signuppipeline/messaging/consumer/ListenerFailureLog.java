package io.signuppipeline.messaging.consumer;

import com.rabbitmq.client.ShutdownSignalException;
import java.net.SocketException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Spring AMQP's error handler for a listener that throws, with a shorter story for the failures an
 * outage brings: when the broker or the database is away, the message goes back to the broker and
 * is delivered again, so one WARN line with the queue, the event id and the cause says all there is
 * to say. Anything else keeps Spring's full report, stack trace included: that is a bug to look at.
 */
class ListenerFailureLog extends ConditionalRejectingErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ListenerFailureLog.class);

    @Override
    protected void log(Throwable failure) {
        if (!causedByAnOutage(failure)) {
            super.log(failure);
            return;
        }
        Message message = failure instanceof ListenerExecutionFailedException listenerFailure
                ? listenerFailure.getFailedMessage() : null;
        String queue = message == null ? "?" : message.getMessageProperties().getConsumerQueue();
        String eventId = message == null ? "?" : message.getMessageProperties().getMessageId();
        log.warn("Listener on {} failed for eventId={}, to be delivered again: {}", queue, eventId,
                NestedExceptionUtils.getMostSpecificCause(failure).toString());
    }

    /** The broker connection or the database is gone or refusing: nothing the message itself did. */
    private static boolean causedByAnOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AmqpConnectException || cause instanceof AmqpIOException
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
