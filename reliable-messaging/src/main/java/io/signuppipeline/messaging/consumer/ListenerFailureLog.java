package io.signuppipeline.messaging.consumer;

import static java.util.Objects.requireNonNullElse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.core.NestedExceptionUtils;

/**
 * Spring AMQP's error handler for a listener that throws, with a shorter story for the failures an
 * outage brings: when the broker or the database is away, the message goes back to the broker and
 * is delivered again, so one WARN line with the queue, the event's type, id and sender, and the
 * cause says all there is to say. Anything else keeps Spring's full report, stack trace included:
 * that is a bug to look at.
 */
class ListenerFailureLog extends ConditionalRejectingErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ListenerFailureLog.class);

    @Override
    protected void log(Throwable failure) {
        if (!Outages.causedBy(failure)) {
            super.log(failure);
            return;
        }
        Message message = failure instanceof ListenerExecutionFailedException listenerFailure
                ? listenerFailure.getFailedMessage() : null;
        MessageProperties properties = message == null ? new MessageProperties() : message.getMessageProperties();
        log.warn("Listener on {} failed for {} eventId={} from {}, to be delivered again: {}",
                requireNonNullElse(properties.getConsumerQueue(), "?"),
                requireNonNullElse(properties.getType(), "a message"),
                requireNonNullElse(properties.getMessageId(), "?"),
                requireNonNullElse(properties.getAppId(), "?"),
                NestedExceptionUtils.getMostSpecificCause(failure).toString());
    }
}
