package io.signuppipeline.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.CannotCreateTransactionException;

@ExtendWith(OutputCaptureExtension.class)
class ListenerFailureLogTests {

    @Test
    void aListenerFailingBecauseTheDatabaseIsAwayIsOneLineWithQueueEventAndCause(CapturedOutput output) {
        new ListenerFailureLog().handleError(failure(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))));

        assertThat(output.getAll()).contains("Listener on signup.step-results failed for signup.step_announced "
                + "eventId=event-7 from fraud-worker, to be delivered again: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available")
                .doesNotContain("\tat ", "Execution of Rabbit message listener failed");
    }

    @Test
    void aListenerFailingOnItsOwnKeepsSpringsFullReport(CapturedOutput output) {
        new ListenerFailureLog().handleError(failure(new NullPointerException("step was null")));

        assertThat(output.getAll()).contains("Execution of Rabbit message listener failed", "step was null", "\tat ")
                .doesNotContain("to be delivered again");
    }

    @Test
    void everyContainerFromBootsFactoryGetsIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, ConsumerAutoConfiguration.class))
                .run(context -> assertThat(context.getBean(SimpleRabbitListenerContainerFactory.class)
                        .createListenerContainer().getErrorHandler()).isInstanceOf(ListenerFailureLog.class));
    }

    private static ListenerExecutionFailedException failure(Throwable cause) {
        MessageProperties properties = new MessageProperties();
        properties.setConsumerQueue("signup.step-results");
        properties.setMessageId("event-7");
        properties.setType("signup.step_announced");
        properties.setAppId("fraud-worker");
        return new ListenerExecutionFailedException("Listener threw exception", cause,
                new Message(new byte[0], properties));
    }
}
