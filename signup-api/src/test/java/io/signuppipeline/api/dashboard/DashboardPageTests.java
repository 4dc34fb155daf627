package io.signuppipeline.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page at {@code /}, as the server renders it; the browser test in end-to-end-tests drives it.
 */
@SignupApiTest
class DashboardPageTests {

    @LocalServerPort
    int port;

    @Test
    void theDashboardIsServedAtTheRootWithLabelledFieldsAndRealButtons() {
        ApiClient.Response page = new ApiClient(port).get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.http().body())
                .contains("<label for=\"email\">", "<input id=\"email\"", "<label for=\"name\">", "<input id=\"name\"")
                .contains("<button type=\"submit\">Sign up</button>")
                .contains("<label for=\"admin-password\">", "<input id=\"admin-password\" type=\"password\"")
                .contains("aria-live=\"polite\"")
                .contains("data-worker=\"email-worker\"", "data-worker=\"fraud-worker\"",
                        "data-worker=\"billing-worker\"", "data-worker=\"notify-worker\"")
                .contains("data-latest=\"20\"");
    }

    @Test
    void withoutTheDemoProfileThereIsNoBurstControlAndNoBurstEndpoint() {
        ApiClient api = new ApiClient(port);

        assertThat(api.get("/").http().body()).doesNotContain("demo-form");
        assertThat(api.send("POST", "/dashboard/demo/burst?count=10", null, null).status()).isEqualTo(404);
    }

    @Test
    void theScriptAndStylesAreServed() {
        ApiClient api = new ApiClient(port);

        assertThat(api.get("/dashboard.js").status()).isEqualTo(200);
        assertThat(api.get("/dashboard.css").status()).isEqualTo(200);
    }
}
