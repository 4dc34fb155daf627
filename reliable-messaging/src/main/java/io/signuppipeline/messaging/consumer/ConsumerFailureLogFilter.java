package io.signuppipeline.messaging.consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Drops the lines written on each attempt of a consumer to start again while the broker is away or
 * refuses it: Spring AMQP's container says it failed (a stack trace included, and a second time
 * without one), and the RabbitMQ client says the broker reset or closed the connection, every few
 * seconds for as long as it lasts. {@link ConsumptionWatch} says it once instead, when consumption
 * stops and when it resumes, with the cause. A consumer whose acknowledgement the lost connection
 * swallowed says so with a stack trace at ERROR: nothing is wrong with the batch, which the broker
 * delivers again and the inbox recognises, so that line goes too. Everything else these loggers
 * write passes.
 */
class ConsumerFailureLogFilter extends TurboFilter {

    private static final String CONTAINER = SimpleMessageListenerContainer.class.getName();
    private static final String CLIENT = "com.rabbitmq.client.impl.ForgivingExceptionHandler";
    private static final String CONSUMER = "org.springframework.amqp.rabbit.listener.BlockingQueueConsumer";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (format == null) {
            return FilterReply.NEUTRAL;
        }
        return retryLine(logger.getName(), format, t) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean retryLine(String logger, String format, Throwable t) {
        if (CONTAINER.equals(logger)) {
            return format.startsWith("Consumer received fatal=false exception")
                    || format.startsWith("Consumer raised exception, processing can restart")
                    || format.startsWith("Failed to check/redeclare")
                            && (t == null || Outages.causedBy(t));
        }
        if (CONSUMER.equals(logger)) {
            return format.startsWith("Error acking") && t != null && Outages.causedBy(t);
        }
        return CLIENT.equals(logger) && format.startsWith("An unexpected connection driver error occurred")
                && (format.contains("Connection reset") || format.contains("Socket closed"));
    }
}
