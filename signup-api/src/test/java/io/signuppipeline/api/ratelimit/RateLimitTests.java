package io.signuppipeline.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.Rows;
import io.signuppipeline.testing.UsesTestServices;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Three signups at once per client, then one more every two seconds. Each test is its own client: a loopback
 * address of its own (Linux routes all of 127.0.0.0/8 to the loopback interface), or, through the
 * one trusted proxy 127.0.0.1, an {@code X-Forwarded-For} address of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "signup.api.rate-limit.enabled=true",
        "signup.api.rate-limit.capacity=" + RateLimitTests.CAPACITY,
        "signup.api.rate-limit.refill-period=6s",
        "server.forward-headers-strategy=native",
        // A regular expression; backslashes doubled once for Java and once for the properties format.
        "server.tomcat.remoteip.internal-proxies=127\\\\.0\\\\.0\\\\.1"})
@UsesTestServices
class RateLimitTests {

    static final int CAPACITY = 3;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Rows rows;

    @BeforeEach
    void setUp() {
        rows = new Rows(jdbc);
    }

    @Nested
    class AClientOverItsLimit {

        @Test
        void gets429WithRetryAfterWritesNothingAndIsLetInAgainOnceRefilled() {
            ApiClient client = from("127.0.0.2");
            useUpTheAllowance(client);
            long users = rows.users();
            long outbox = rows.outbox();

            ApiClient.Response refused = client.signUp(uniqueEmail(), "Ada");

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asString()).isEqualTo("/problems/too-many-requests");
            assertThat(refused.json().get("status").asInt()).isEqualTo(429);
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(retryAfter).as("one signup comes back every two seconds").isBetween(1L, 2L);
            assertThat(refused.json().get("detail").asString())
                    .endsWith(retryAfter == 1 ? "try again in 1 second." : "try again in 2 seconds.");
            assertThat(rows.users()).as("user rows").isEqualTo(users);
            assertThat(rows.outbox()).as("outbox rows").isEqualTo(outbox);
            assertThat(client.signUp(uniqueEmail(), "Ada").status()).as("still refused right after").isEqualTo(429);

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> client.signUp(uniqueEmail(), "Ada").status() == 201);
            assertThat(rows.users()).isEqualTo(users + 1);
        }

        @Test
        void isLimitedByItsRefusedRequestsToo() {
            ApiClient client = from("127.0.0.3");
            for (int i = 0; i < CAPACITY; i++) {
                assertThat(client.send("POST", "/api/signups", "application/json", "{\"email\":".getBytes()).status())
                        .isEqualTo(400);
            }

            assertThat(client.signUp(uniqueEmail(), "Ada").status()).isEqualTo(429);
        }

        @Test
        void canStillReadSignups() {
            ApiClient client = from("127.0.0.4");
            String location = useUpTheAllowance(client);

            assertThat(client.signUp(uniqueEmail(), "Ada").status()).isEqualTo(429);
            assertThat(client.get(location).status()).isEqualTo(200);
        }

        @Test
        void doesNotHoldUpOtherClients() {
            useUpTheAllowance(from("127.0.0.5"));

            assertThat(from("127.0.0.5").signUp(uniqueEmail(), "Ada").status()).isEqualTo(429);
            assertThat(from("127.0.0.6").signUp(uniqueEmail(), "Ada").status()).isEqualTo(201);
        }
    }

    @Nested
    class TheClientAddress {

        @Test
        void isTheConnectionsWhenThePeerIsNoTrustedProxy() {
            ApiClient client = from("127.0.0.7");
            for (int i = 0; i <= CAPACITY; i++) {
                ApiClient.Response response = client.withHeader("X-Forwarded-For", "198.51.100." + (i + 1))
                        .signUp(uniqueEmail(), "Ada");
                assertThat(response.status()).as("signup %d, each claiming another X-Forwarded-For", i + 1)
                        .isEqualTo(i < CAPACITY ? 201 : 429);
            }
        }

        @Test
        void isTheOneATrustedProxyForwardsForAndTheFraudCheckSeesItToo() {
            ApiClient proxy = new ApiClient(port);
            useUpTheAllowance(proxy.withHeader("X-Forwarded-For", "203.0.113.10"));
            assertThat(proxy.withHeader("X-Forwarded-For", "203.0.113.10").signUp(uniqueEmail(), "Ada").status())
                    .isEqualTo(429);

            ApiClient.Response other = proxy.withHeader("X-Forwarded-For", "203.0.113.11")
                    .signUp(uniqueEmail(), "Grace");

            assertThat(other.status()).isEqualTo(201);
            UUID signupId = UUID.fromString(other.json().get("id").asString());
            assertThat(rows.eventData(signupId, "signupIp")).isEqualTo("203.0.113.11");
        }
    }

    /** Signs up as many times as the client may at once; answers the last signup's location. */
    private static String useUpTheAllowance(ApiClient client) {
        String location = null;
        for (int i = 0; i < CAPACITY; i++) {
            ApiClient.Response response = client.signUp(uniqueEmail(), "Ada");
            assertThat(response.status()).as(response.http().body()).isEqualTo(201);
            location = response.header("Location");
        }
        return location;
    }

    private ApiClient from(String loopbackAddress) {
        try {
            return new ApiClient(port, InetAddress.getByName(loopbackAddress));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String uniqueEmail() {
        return "limited-" + UUID.randomUUID() + "@example.com";
    }
}
