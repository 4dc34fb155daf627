package io.signuppipeline.messaging.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.core.NestedExceptionUtils;

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
        if (!Outages.causedBy(failure)) {
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
}
