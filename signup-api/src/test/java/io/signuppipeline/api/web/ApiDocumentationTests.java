package io.signuppipeline.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description documents the POST with an example and every problem type with one.
 */
@SignupApiTest
class ApiDocumentationTests {

    @LocalServerPort
    int port;

    @Autowired
    SpringDocConfigProperties apiDocs;

    @Autowired
    SwaggerUiConfigProperties swaggerUi;

    @Test
    void thePostHasAnExampleACreatedAnswerAndAnExampleForEachProblemItCanGive() {
        JsonNode docs = new ApiClient(port).get("/v3/api-docs").json();
        JsonNode post = docs.get("paths").get("/api/signups").get("post");

        assertThat(post.get("requestBody").get("content").get("application/json").get("examples").get("ada")
                .get("value").get("email").asString()).isEqualTo("ada@example.com");
        assertThat(post.get("responses").propertyNames())
                .contains("201", "400", "409", "413", "415", "429", "503", "500").doesNotContain("200");
        JsonNode conflict = post.get("responses").get("409").get("content").get("application/problem+json");
        assertThat(conflict.get("examples").get("EMAIL_ALREADY_REGISTERED").get("$ref").asString())
                .isEqualTo("#/components/examples/EMAIL_ALREADY_REGISTERED");
        assertThat(docs.get("paths").get("/api/signups/{id}").get("get").get("responses").get("404")
                .get("content").get("application/problem+json").get("examples").has("SIGNUP_NOT_FOUND")).isTrue();
    }

    @Test
    void everyProblemTypeHasAnExampleWithItsTypeAndStatus() {
        JsonNode examples = new ApiClient(port).get("/v3/api-docs").json().get("components").get("examples");

        assertThat(examples.propertyNames()).containsAll(Arrays.stream(ProblemType.values()).map(Enum::name).toList());
        for (ProblemType type : ProblemType.values()) {
            JsonNode value = examples.get(type.name()).get("value");
            assertThat(value.get("type").asString()).isEqualTo(type.uri().toString());
            assertThat(value.get("status").asInt()).isEqualTo(type.status().value());
        }
    }

    @Test
    void theOperationsAreGroupedByWhatTheyAreAbout() {
        JsonNode paths = new ApiClient(port).get("/v3/api-docs").json().get("paths");

        assertThat(paths.get("/api/signups").get("post").get("tags").get(0).asString()).isEqualTo("Signups");
        assertThat(paths.get("/api/signups/{id}").get("get").get("tags").get(0).asString()).isEqualTo("Signups");
        assertThat(paths.get("/api/pipeline").get("get").get("tags").get(0).asString()).isEqualTo("Pipeline");
        assertThat(paths.get("/api/steps").get("get").get("tags").get(0).asString()).isEqualTo("Pipeline");
    }

    @Test
    void swaggerUiIsServed() {
        assertThat(new ApiClient(port).get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    /** Springdoc warns at start-up, to disable them in production, unless both are switched on by name. */
    @Test
    void theDescriptionAndSwaggerUiAreSwitchedOnByName() {
        assertThat(apiDocs.getApiDocs().isEnabled()).as("springdoc.api-docs.enabled").isTrue();
        assertThat(swaggerUi.isEnabled()).as("springdoc.swagger-ui.enabled").isTrue();
    }
}
