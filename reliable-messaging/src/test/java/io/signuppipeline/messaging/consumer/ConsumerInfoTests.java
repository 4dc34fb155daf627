package io.signuppipeline.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ConsumerInfoTests {

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, ConsumerAutoConfiguration.class));

    @Test
    void tellsTheSettingsTheServiceConsumesWith() {
        service.withPropertyValues("spring.rabbitmq.listener.simple.concurrency=3",
                "spring.rabbitmq.listener.simple.prefetch=60", "messaging.consumer.batch-size=30",
                "messaging.consumer.batch-wait=15ms")
                .run(context -> assertThat(consumers(context.getBean(ConsumerInfo.class))).containsExactly(
                        Map.entry("concurrency", 3), Map.entry("prefetch", 60), Map.entry("batchSize", 30),
                        Map.entry("batchWaitMs", 15L)));
    }

    @Test
    void withoutListenerSettingsTellsSpringAmqpsOwnDefaults() {
        service.run(context -> assertThat(consumers(context.getBean(ConsumerInfo.class)))
                .containsEntry("concurrency", 1).containsEntry("prefetch", 250).containsEntry("batchSize", 50));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> consumers(ConsumerInfo contributor) {
        Info.Builder info = new Info.Builder();
        contributor.contribute(info);
        return (Map<String, Object>) info.build().getDetails().get("consumers");
    }
}
