package io.signuppipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.signuppipeline.testing.MockApis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's stand-in answers every request as WireMock does with the project's {@code mocks/}.
 */
class DownstreamStandInTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static WireMockServer wireMock;
    static DownstreamStandIn standIn;

    @BeforeAll
    static void start() {
        wireMock = MockApis.start();
        standIn = DownstreamStandIn.start();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
        standIn.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "an approval scored by the address's length | /fraud/score | application/json | `{\"email\":\"ada@example.com\",\"ip\":\"203.0.113.7\"}` |",
            "a long address approved too | /fraud/score | application/json | `{\"email\":\"a-much-longer-address-than-that@example.com\"}` |",
            "a rejection | /fraud/score | application/json | `{\"email\":\"mallory+reject@example.com\"}` |",
            "a rejection in capitals | /fraud/score | application/json | `{\"email\":\"MALLORY+REJECT@EXAMPLE.COM\"}` |",
            "a review | /fraud/score | application/json | `{\"email\":\"bob+review@example.com\"}` |",
            "a score without an address | /fraud/score | application/json | `{\"ip\":\"203.0.113.7\"}` |",
            "a Stripe customer | /stripe/v1/customers | application/x-www-form-urlencoded | email=ada%40example.com&name=Ada+Lovelace&metadata%5BuserId%5D=42 | signup-01a2-B3c4",
            "a Stripe customer without an Idempotency-Key | /stripe/v1/customers | application/x-www-form-urlencoded | email=ada%40example.com | ",
            "a Slack message | /slack/webhook | application/json | `{\"text\":\"New signup\",\"blocks\":[]}` |",
            "a Slack message without text | /slack/webhook | application/json | `{\"blocks\":[]}` |"})
    void answersAsWireMockDoes(String what, String path, String contentType, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        Map.Entry<Integer, String> expected = post(wireMock.baseUrl(), path, contentType, body, idempotencyKey);
        Map.Entry<Integer, String> actual = post(standIn.baseUrl(), path, contentType, body, idempotencyKey);

        assertThat(actual.getKey()).isEqualTo(expected.getKey());
        if (expected.getKey() == 200) {
            assertThat(comparable(actual.getValue())).isEqualTo(comparable(expected.getValue()));
        }
    }

    private static Map.Entry<Integer, String> post(String baseUrl, String path, String contentType, String body,
            String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return Map.entry(answer.statusCode(), answer.body());
    }

    /** The answer as JSON without the creation time, which differs by the second; plain text as it is. */
    private static Object comparable(String body) {
        if (!body.startsWith("{")) {
            return body;
        }
        JsonNode json = JSON.readTree(body);
        if (json instanceof ObjectNode object) {
            object.remove("created");
        }
        return json;
    }
}
