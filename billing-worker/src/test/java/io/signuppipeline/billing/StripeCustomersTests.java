package io.signuppipeline.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.signuppipeline.testing.SignupEvents.deliverTwice;
import static io.signuppipeline.testing.SignupEvents.processed;
import static io.signuppipeline.testing.SignupEvents.publish;
import static io.signuppipeline.testing.SignupEvents.retries;
import static io.signuppipeline.testing.SignupEvents.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.RecordedObservations;
import io.signuppipeline.testing.TestRetryTiers;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The billing worker with the official Stripe client against the project's WireMock mapping of Stripe.
 */
@SpringBootTest(properties = "worker.stripe.read-timeout=1s")
@UsesTestServices
@TestRetryTiers
@Import(RecordedObservations.class)
class StripeCustomersTests {

    static final WireMockServer stripe = MockApis.start();

    @DynamicPropertySource
    static void useTheMock(DynamicPropertyRegistry registry) {
        registry.add("worker.stripe.api-base", () -> stripe.baseUrl() + "/stripe");
    }

    @AfterAll
    static void stopTheMock() {
        stripe.stop();
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RecordedObservations observations;

    @Test
    void theStripeCallIsObservedInsideTheMessagesListenerObservationAndTimed() {
        double timedBefore = stripeCallsTimed();
        CloudEvent<UserSignedUp> event = signup("olga-" + UUID.randomUUID() + "@example.com", "Olga Taussky");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(observations.parentsOf("stripe.customers.create")).isNotEmpty()
                .containsOnly("spring.rabbit.listener");
        assertThat(stripeCallsTimed()).isGreaterThan(timedBefore);
    }

    private double stripeCallsTimed() {
        Timer timer = meters.find("stripe.customers.create").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void createsTheCustomerWithAnIdempotencyKeyFromTheEventAndRecordsItsId() {
        CloudEvent<UserSignedUp> event = signup("ada-" + UUID.randomUUID() + "@example.com", "Ada Lovelace");

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> processed(jdbc, event));
        assertThat(customerIds(event)).singleElement().asString()
                .isEqualTo("cus_signup" + event.id().toString().replace("-", ""));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/stripe/v1/customers"))
                .withHeader("Idempotency-Key", equalTo("signup-" + event.id()))
                .withHeader("Authorization", equalTo("Bearer sk_test_local"))
                .withRequestBody(containing("email=" + event.data().email().replace("@", "%40")))
                .withRequestBody(containing("name=Ada+Lovelace"))
                .withRequestBody(containing("metadata[userId]=" + event.data().userId())));
    }

    @Test
    void theSameEventDeliveredTwiceCreatesOneCustomer() {
        CloudEvent<UserSignedUp> event = signup("twice-" + UUID.randomUUID() + "@example.com", "Twice");

        deliverTwice(rabbit, jdbc, event);

        stripe.verify(1, postRequestedFor(urlPathEqualTo("/stripe/v1/customers"))
                .withHeader("Idempotency-Key", equalTo("signup-" + event.id())));
        assertThat(customerIds(event)).hasSize(1);
    }

    @Test
    void aStripeOutageRecordsNothingAndTheRetryReusesTheIdempotencyKey() {
        CloudEvent<UserSignedUp> event = signup("outage-" + UUID.randomUUID() + "@example.com", "Outage");
        StubMapping outage = stripe.stubFor(post(urlPathEqualTo("/stripe/v1/customers")).atPriority(0)
                .withHeader("Idempotency-Key", equalTo("signup-" + event.id()))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"type\": \"api_error\", \"message\": \"Stripe is down\"}}")));
        double retriesBefore = retries(meters);

        publish(rabbit, event);
        await().atMost(Duration.ofSeconds(15)).until(() -> retries(meters) >= retriesBefore + 2);
        assertThat(customerIds(event)).isEmpty();
        stripe.removeStub(outage);

        await().atMost(Duration.ofSeconds(15)).until(() -> processed(jdbc, event));
        assertThat(customerIds(event)).hasSize(1);
        assertThat(stripe.findAll(postRequestedFor(urlPathEqualTo("/stripe/v1/customers"))
                .withRequestBody(containing(event.data().userId().toString()))))
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(request -> assertThat(request.getHeader("Idempotency-Key"))
                        .isEqualTo("signup-" + event.id()));
    }

    @Test
    void aRequestStripeRefusesIsParkedAtOnceWithoutRetries() {
        CloudEvent<UserSignedUp> event = signup("refused-" + UUID.randomUUID() + "@example.com", "Refused");
        stripe.stubFor(post(urlPathEqualTo("/stripe/v1/customers")).atPriority(0)
                .withHeader("Idempotency-Key", equalTo("signup-" + event.id()))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"Invalid email address\"}}")));

        publish(rabbit, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM outbox WHERE signup_id = :id AND event_type = 'signup.step_failed'")
                .param("id", event.data().userId()).query(Long.class).single() == 1);
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/stripe/v1/customers"))
                .withHeader("Idempotency-Key", equalTo("signup-" + event.id())));
        assertThat(customerIds(event)).isEmpty();
        assertThat(processed(jdbc, event)).isFalse();
    }

    private java.util.List<String> customerIds(CloudEvent<UserSignedUp> event) {
        return jdbc.sql("SELECT customer_id FROM stripe_customers WHERE signup_id = :id")
                .param("id", event.data().userId()).query(String.class).list();
    }
}
