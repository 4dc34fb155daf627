package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The demo profile's burst: N signups written on the server, each with its event, as a POST would.
 */
@SignupApiTest
@ActiveProfiles("demo")
class DemoBurstTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @Test
    void aBurstWritesEverySignupWithItsEvent() {
        ApiClient.Response answer = api.send("POST", "/dashboard/demo/burst?count=40", null, null);

        assertThat(answer.status()).isEqualTo(202);
        String burst = answer.json().get("burst").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM users WHERE email LIKE :pattern",
                burst) == 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("""
                SELECT count(*) FROM outbox o JOIN users u ON u.id = o.signup_id
                WHERE u.email LIKE :pattern AND o.event_type = 'user.signed_up'""", burst) == 40);
    }

    @Test
    void aBurstOfNoneOrOverTheCapIsRefused() {
        for (String count : new String[] {"0", "5001", "-3"}) {
            ApiClient.Response answer = api.send("POST", "/dashboard/demo/burst?count=" + count, null, null);
            assertThat(answer.status()).as(count).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void thePageShowsTheBurstControl() {
        assertThat(api.get("/").http().body()).contains("<form id=\"demo-form\">", "<label for=\"burst-count\">");
    }

    private long count(String sql, String burst) {
        return jdbc.sql(sql).param("pattern", "demo-" + burst + "-%").query(Long.class).single();
    }
}
