package io.signuppipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every service of the pipeline must have done once it has started.
 */
public final class ServiceChecks {

    private ServiceChecks() {
    }

    /**
     * The service migrated its own schema, outbox included, and declared the signup exchange.
     *
     * @param context the started service
     * @param schema the schema the service owns
     * @param exchange the exchange it must have declared
     */
    public static void assertStarted(ApplicationContext context, String schema, String exchange) {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT current_schema()").query(String.class).single())
                .as("unqualified tables resolve to the service's own schema").isEqualTo(schema);
        assertThat(jdbc.sql("SELECT to_regclass(:table)::text").param("table", schema + ".outbox")
                .query(String.class).optional()).as("outbox table in schema " + schema).isPresent();
        RabbitTemplate rabbit = new RabbitTemplate(context.getBean(
                org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
        AMQP.Exchange.DeclareOk declared = rabbit.execute(channel -> channel.exchangeDeclarePassive(exchange));
        assertThat(declared).as("exchange " + exchange).isNotNull();
    }
}
