package io.signuppipeline.endtoend.crm;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.worker.Effect;
import io.signuppipeline.messaging.worker.SignupStep;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fifth worker, the whole of it: each new user becomes a contact in a CRM, over HTTP. Everything
 * else (its queue and retry tiers, batches, the inbox, the result events, announcing its step to the
 * signup API) comes from reliable-messaging. Nothing outside this class names it.
 */
@SpringBootApplication
public class CrmSyncWorker implements SignupStep<String> {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI contacts;

    CrmSyncWorker(@Value("${crm.url}") String crm) {
        this.contacts = URI.create(crm + "/crm/contacts");
    }

    /** Starts the worker in this JVM with these properties (its broker, database and CRM). */
    public static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return new SpringApplicationBuilder(CrmSyncWorker.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    @Override
    public String name() {
        return "crm";
    }

    /** One contact per signup; the event id as the idempotency key, so a repeated call makes none twice. */
    @Override
    public String on(CloudEvent<UserSignedUp> event) throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(contacts)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", event.id().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\":\"" + event.data().userId() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() / 100 != 2) {
            throw new IOException("the CRM answered " + created.statusCode());
        }
        return created.headers().firstValue("Location").orElse("a contact");
    }

    /** The CRM keeps the contact; this worker keeps nothing of its own beyond the inbox. */
    @Override
    public void record(List<Effect<String>> effects) {
    }

    @Override
    public String detail(String contact) {
        return contact;
    }
}
