package io.signuppipeline.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment the five services read their settings from, as in production: this run's
 * database (each service keeps to its own schema in it), this run's vhost, the mock APIs standing in
 * for the fraud API, Stripe and Slack, and an SMTP server.
 */
public final class ServiceEnvironment {

    private static final List<String> SERVICES = List.of("SIGNUP_API", "EMAIL_WORKER", "FRAUD_WORKER",
            "BILLING_WORKER", "NOTIFY_WORKER");

    private ServiceEnvironment() {
    }

    /**
     * @param services this run's database and vhost
     * @param mocksBaseUrl where {@link MockApis} serves {@code mocks/}
     * @param smtpPort an SMTP server on 127.0.0.1
     */
    public static Map<String, String> of(TestServices services, String mocksBaseUrl, int smtpPort) {
        Map<String, String> environment = new HashMap<>();
        TestServices.Postgres postgres = services.postgres();
        for (String service : SERVICES) {
            environment.put(service + "_DB_URL", postgres.jdbcUrl());
            environment.put(service + "_DB_USER", postgres.username());
            environment.put(service + "_DB_PASSWORD", postgres.password());
        }
        TestServices.RabbitMq rabbitMq = services.rabbitMq();
        environment.put("RABBITMQ_HOST", rabbitMq.host());
        environment.put("RABBITMQ_PORT", String.valueOf(rabbitMq.port()));
        environment.put("RABBITMQ_USER", rabbitMq.username());
        environment.put("RABBITMQ_PASSWORD", rabbitMq.password());
        environment.put("RABBITMQ_VHOST", rabbitMq.virtualHost());
        environment.put("RABBITMQ_MANAGEMENT_URL", rabbitMq.managementUrl());
        environment.put("SMTP_HOST", "127.0.0.1");
        environment.put("SMTP_PORT", String.valueOf(smtpPort));
        environment.put("FRAUD_API_URL", mocksBaseUrl + "/fraud/score");
        environment.put("STRIPE_API_BASE", mocksBaseUrl + "/stripe");
        environment.put("SLACK_WEBHOOK_URL", mocksBaseUrl + "/slack/webhook");
        return environment;
    }
}
