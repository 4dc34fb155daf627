package io.signuppipeline.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.DownstreamHttp;
import io.signuppipeline.messaging.worker.Effect;
import io.signuppipeline.messaging.worker.PermanentFailure;
import io.signuppipeline.messaging.worker.SignupStep;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates a Stripe customer for each new user with the official client.
 *
 * <p>The Idempotency-Key is derived from the event id, so however often the event is delivered, and
 * even when the worker dies between Stripe's answer and our commit, Stripe creates one customer and
 * answers every repeat with the same one.
 */
@Component
class StripeCustomers implements SignupStep<String> {

    private final StripeClient stripe;
    private final JdbcTemplate jdbc;
    private final ObservationRegistry observations;

    StripeCustomers(StripeProperties properties, DownstreamHttp downstream, JdbcTemplate jdbc,
            ObservationRegistry observations) {
        this.stripe = StripeClient.builder()
                .setApiKey(properties.apiKey())
                .setApiBase(properties.apiBase())
                .setHttpClient(new StripeTransport(downstream.requestFactory(properties.connectTimeout(),
                        properties.readTimeout())))
                // Retries belong to the broker's retry queue, not to a listener thread that waits.
                .setMaxNetworkRetries(0)
                .build();
        this.jdbc = jdbc;
        this.observations = observations;
    }

    @Override
    public String name() {
        return SignupTopology.BILLING_STEP;
    }

    /** Creates (or, for a repeated key, finds again) the customer and answers its id. */
    @Override
    public String on(CloudEvent<UserSignedUp> event) throws StripeException, PermanentFailure {
        CustomerCreateParams customer = CustomerCreateParams.builder()
                .setEmail(event.data().email())
                .setName(event.data().name())
                .putMetadata("userId", event.data().userId().toString())
                .build();
        RequestOptions once = RequestOptions.builder().setIdempotencyKey(idempotencyKey(event)).build();
        try {
            // stripe-java has no observation of its own: this one is the call's span in the signup's
            // trace and its timer (stripe.customers.create) on /actuator/prometheus.
            return Observation.createNotStarted("stripe.customers.create", observations)
                    .contextualName("stripe create customer")
                    .lowCardinalityKeyValue("peer.service", "stripe")
                    .observeChecked(() -> stripe.v1().customers().create(customer, once).getId());
        } catch (StripeException e) {
            if (refused(e)) {
                throw new PermanentFailure("Stripe refused the customer with " + e.getStatusCode(), e);
            }
            throw e;
        }
    }

    /**
     * A 4xx answer is about the request, and sending it again cannot help; except 408 and 429 (try
     * later) and 409 (the same idempotency key is still in flight elsewhere).
     */
    private static boolean refused(StripeException e) {
        Integer status = e.getStatusCode();
        return status != null && status >= 400 && status < 500 && status != 408 && status != 409 && status != 429;
    }

    @Override
    public void record(List<Effect<String>> customers) {
        jdbc.batchUpdate("INSERT INTO stripe_customers (event_id, signup_id, customer_id) VALUES (?, ?, ?)",
                customers, customers.size(), (insert, customer) -> {
                    insert.setObject(1, customer.event().id());
                    insert.setObject(2, customer.event().data().userId());
                    insert.setString(3, customer.result());
                });
    }

    /** The customer's id. */
    @Override
    public String detail(String customerId) {
        return customerId;
    }

    static String idempotencyKey(CloudEvent<UserSignedUp> event) {
        return "signup-" + event.id();
    }
}
