package io.signuppipeline.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpIOException;

class ConsumerFailureLogFilterTest {

    private static final String CONTAINER = "org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer";
    private static final String CONSUMER = "org.springframework.amqp.rabbit.listener.BlockingQueueConsumer";

    private final ConsumerFailureLogFilter filter = new ConsumerFailureLogFilter();
    private final LoggerContext loggers = new LoggerContext();

    @Test
    void dropsTheContainersLinePerRestartAttempt() {
        assertThat(decide(CONTAINER, "Consumer raised exception, processing can restart if the connection "
                + "factory supports it", null)).isEqualTo(FilterReply.DENY);
        assertThat(decide(CONTAINER, "Failed to check/redeclare auto-delete queue(s).",
                new AmqpIOException(new SocketException("Connection refused")))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsARedeclareFailureTheBrokerDidNotCause() {
        assertThat(decide(CONTAINER, "Failed to check/redeclare auto-delete queue(s).",
                new IllegalArgumentException("x-queue-type mismatch"))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void dropsAnAcknowledgementTheLostConnectionSwallowed() {
        assertThat(decide(CONSUMER, "Error acking.", new SocketException("Connection reset by peer")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsAnAcknowledgementFailureWithAnyOtherCause() {
        assertThat(decide(CONSUMER, "Error acking.", new IllegalStateException("unknown delivery tag")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(CONSUMER, "Error acking.", null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void leavesEveryOtherLoggerAlone() {
        assertThat(decide("io.signuppipeline.worker.Anything", "Error acking.",
                new SocketException("Connection reset by peer"))).isEqualTo(FilterReply.NEUTRAL);
    }

    private FilterReply decide(String logger, String format, Throwable failure) {
        return filter.decide(null, loggers.getLogger(logger), Level.ERROR, format, null, failure);
    }
}
