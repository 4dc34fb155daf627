package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.testing.UsesTestServices;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The database is up, but every one of the API's connections is in use for longer than the busy-pool wait:
 * the answer must say the service is busy, not that the database is unavailable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Two: Flyway needs both at startup.
        "spring.datasource.hikari.maximum-pool-size=" + BusyPoolTests.POOL_SIZE,
        "spring.datasource.hikari.connection-timeout=250",
        "messaging.database.busy-pool-wait=" + BusyPoolTests.BUSY_POOL_WAIT_MILLIS + "ms"})
@UsesTestServices
@DirtiesContext // a pool of two connections is no use to the other tests
@ExtendWith(OutputCaptureExtension.class)
class BusyPoolTests {

    static final long BUSY_POOL_WAIT_MILLIS = 1_000;
    static final int POOL_SIZE = 2;

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aSignupThatFindsEveryConnectionInUseForTheWholeWaitIsAnswered503ServiceBusyAndSavesNothing(
            CapturedOutput output) throws Exception {
        ApiClient api = new ApiClient(port);
        String email = "busy-" + UUID.randomUUID() + "@example.com";

        List<Connection> held = new ArrayList<>();
        ApiClient.Response response;
        try {
            while (held.size() < POOL_SIZE) {
                held.add(aFreeConnection());
            }
            response = api.signUp(email, "Busy");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }

        assertThat(response.status()).as(response.http().body()).isEqualTo(503);
        assertThat(response.took()).isGreaterThanOrEqualTo(Duration.ofMillis(BUSY_POOL_WAIT_MILLIS))
                .isLessThan(Duration.ofSeconds(5));
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().get("type").asString()).isEqualTo("/problems/service-busy");
        assertThat(response.http().body()).doesNotContain("database", "Exception", "\tat ");
        assertThat(output.getAll().lines().filter(line -> line.contains("Answering 503 to POST /api/signups")))
                .singleElement().satisfies(line -> assertThat(line)
                        .contains("WARN", "every database connection stayed in use for").doesNotContain("unavailable"));

        assertThat(jdbc.sql("SELECT count(*) FROM users WHERE email = :email").param("email", email)
                .query(Long.class).single()).as("users with the refused address").isZero();
        assertThat(api.signUp(email, "Busy").status()).as("the same signup once a connection is free").isEqualTo(201);
    }

    /** The relay or a result consumer may hold one for a moment; Hikari gives up on each try after 250 ms. */
    private Connection aFreeConnection() {
        AtomicReference<Connection> connection = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> connection.compareAndSet(null, dataSource.getConnection()));
        return connection.get();
    }
}
