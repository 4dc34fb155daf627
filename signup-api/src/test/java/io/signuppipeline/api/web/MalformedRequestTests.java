package io.signuppipeline.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.Rows;
import io.signuppipeline.api.SignupApiTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every way a client can get a request wrong gets its own 4xx problem+json answer, and writes nothing.
 */
@SignupApiTest
class MalformedRequestTests {

    private static final String JSON = "application/json";
    private static final String SIGNUPS = "/api/signups";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    Rows rows;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        rows = new Rows(jdbc);
    }

    /**
     * One bad request and the answer it must get.
     *
     * @param description what is wrong, for the test report
     * @param method HTTP method
     * @param path request path
     * @param contentType Content-Type header, or null for none
     * @param body raw body bytes, or null for none
     * @param chunked send without Content-Length
     * @param status expected status
     * @param type expected problem type slug
     * @param field the field the answer must name in its errors, or null
     */
    record BadRequest(String description, String method, String path, String contentType, byte[] body,
            boolean chunked, int status, String type, String field) {

        @Override
        public String toString() {
            return description + " -> " + status;
        }
    }

    static Stream<BadRequest> badRequests() {
        String tooLong = "x".repeat(20_000);
        return Stream.of(
                // Not JSON, or not a JSON object
                post("truncated JSON", "{\"email\":", 400, "malformed-request", null),
                post("an object never closed", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"", 400,
                        "malformed-request", null),
                post("plain text in a JSON request", "hello", 400, "malformed-request", null),
                post("a JSON array", "[]", 400, "malformed-request", null),
                post("a JSON string", "\"ada@example.com\"", 400, "malformed-request", null),
                post("the JSON null", "null", 400, "malformed-request", null),
                post("an empty body", "", 400, "malformed-request", null),
                post("content after the object", valid() + " {}", 400, "malformed-request", null),
                post("single-quoted JSON", "{'email':'ada@example.com','name':'Ada'}", 400, "malformed-request", null),
                post("a comment in JSON", "{/* hi */\"email\":\"ada@example.com\",\"name\":\"Ada\"}", 400,
                        "malformed-request", null),
                post("a raw control character inside a string", "{\"email\":\"ada@example.com\",\"name\":\"A\u0001da\"}",
                        400, "malformed-request", null),
                // Strict parsing: wrong types, unknown fields, duplicate keys
                post("email as a number", "{\"email\":42,\"name\":\"Ada\"}", 400, "malformed-request", "email"),
                post("name as a boolean", "{\"email\":\"ada@example.com\",\"name\":true}", 400, "malformed-request",
                        "name"),
                post("name as an object", "{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Ada\"}}", 400,
                        "malformed-request", "name"),
                post("email as an array", "{\"email\":[\"ada@example.com\"],\"name\":\"Ada\"}", 400,
                        "malformed-request", "email"),
                post("an unknown field", "{\"email\":\"ada@example.com\",\"name\":\"Ada\",\"admin\":true}", 400,
                        "malformed-request", "admin"),
                post("a misspelt field", "{\"emial\":\"ada@example.com\",\"name\":\"Ada\"}", 400, "malformed-request",
                        "emial"),
                post("a duplicate key", "{\"email\":\"ada@example.com\",\"email\":\"eve@example.com\",\"name\":\"Ada\"}",
                        400, "malformed-request", null),
                // Missing, blank and too long
                post("no email", "{\"name\":\"Ada\"}", 400, "invalid-fields", "email"),
                post("no name", "{\"email\":\"ada@example.com\"}", 400, "invalid-fields", "name"),
                post("an empty object", "{}", 400, "invalid-fields", "email"),
                post("a null email", "{\"email\":null,\"name\":\"Ada\"}", 400, "invalid-fields", "email"),
                post("a blank email", "{\"email\":\"   \",\"name\":\"Ada\"}", 400, "invalid-fields", "email"),
                post("a blank name", "{\"email\":\"ada@example.com\",\"name\":\" \\t \"}", 400, "invalid-fields", "name"),
                post("an email of 255 characters", signup("a@" + "d".repeat(249) + ".com", "Ada"), 400,
                        "invalid-fields", "email"),
                post("a local part of 65 characters", signup("a".repeat(65) + "@example.com", "Ada"), 400,
                        "invalid-fields", "email"),
                post("a name of 101 characters", signup("ada@example.com", "n".repeat(101)), 400, "invalid-fields",
                        "name"),
                // Email syntax
                post("an email without @", signup("ada.example.com", "Ada"), 400, "invalid-fields", "email"),
                post("an email with two @", signup("ada@lovelace@example.com", "Ada"), 400, "invalid-fields", "email"),
                post("an email without a domain dot", signup("ada@localhost", "Ada"), 400, "invalid-fields", "email"),
                post("an email with a space inside", signup("ada lovelace@example.com", "Ada"), 400,
                        "invalid-fields", "email"),
                post("an email with nothing before @", signup("@example.com", "Ada"), 400, "invalid-fields", "email"),
                // Control characters, escaped so the JSON itself is valid
                post("a bell in the name", "{\"email\":\"ada@example.com\",\"name\":\"Ada\\u0007\"}", 400,
                        "invalid-fields", "name"),
                post("a line feed in the name", "{\"email\":\"ada@example.com\",\"name\":\"Ada\\nBcc: x@evil.com\"}",
                        400, "invalid-fields", "name"),
                post("a carriage return in the email", "{\"email\":\"ada@example.com\\r\",\"name\":\"Ada\"}", 400,
                        "invalid-fields", "email"),
                post("a C1 control in the name", "{\"email\":\"ada@example.com\",\"name\":\"Ada\\u0085\"}", 400,
                        "invalid-fields", "name"),
                post("a lone surrogate in the name", "{\"email\":\"ada@example.com\",\"name\":\"Ada\\ud800\"}", 400,
                        "invalid-fields", "name"),
                post("a line separator in the name", "{\"email\":\"ada@example.com\",\"name\":\"Ada\\u2028\"}", 400,
                        "invalid-fields", "name"),
                // Bytes that are not UTF-8
                postBytes("an invalid UTF-8 byte", concat("{\"email\":\"ada@example.com\",\"name\":\"Ad",
                        new byte[] {(byte) 0xFF}, "\"}"), 400, "malformed-request"),
                postBytes("an overlong UTF-8 encoding", concat("{\"email\":\"ada@example.com\",\"name\":\"Ad",
                        new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}"), 400, "malformed-request"),
                postBytes("a truncated UTF-8 sequence", concat("{\"email\":\"ada@example.com\",\"name\":\"Ad",
                        new byte[] {(byte) 0xE2, (byte) 0x82}, "\"}"), 400, "malformed-request"),
                // Size
                post("a body over 16 KiB", signup("ada@example.com", tooLong), 413, "payload-too-large", null),
                new BadRequest("a chunked body over 16 KiB", "POST", SIGNUPS, JSON,
                        bytes(signup("ada@example.com", tooLong)), true, 413, "payload-too-large", null),
                // Media type
                new BadRequest("text/plain", "POST", SIGNUPS, "text/plain", bytes(valid()), false, 415,
                        "unsupported-media-type", null),
                new BadRequest("a form post", "POST", SIGNUPS, "application/x-www-form-urlencoded",
                        bytes("email=ada%40example.com&name=Ada"), false, 415, "unsupported-media-type", null),
                new BadRequest("XML", "POST", SIGNUPS, "application/xml",
                        bytes("<signup><email>ada@example.com</email></signup>"), false, 415,
                        "unsupported-media-type", null),
                new BadRequest("no content type", "POST", SIGNUPS, null, bytes(valid()), false, 415,
                        "unsupported-media-type", null),
                // Method and path
                new BadRequest("PUT on the collection", "PUT", SIGNUPS, JSON, bytes(valid()), false, 405,
                        "method-not-allowed", null),
                new BadRequest("DELETE on a signup", "DELETE", SIGNUPS + "/" + UUID.randomUUID(), null, null, false,
                        405, "method-not-allowed", null),
                new BadRequest("a malformed id", "GET", SIGNUPS + "/not-a-uuid", null, null, false, 400,
                        "invalid-parameter", "id"),
                new BadRequest("an unknown id", "GET", SIGNUPS + "/" + UUID.randomUUID(), null, null, false, 404,
                        "signup-not-found", null),
                new BadRequest("an unknown path", "GET", "/api/nothing-here", null, null, false, 404, "not-found",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isAnsweredWithAProblemAndWritesNothing(BadRequest request) {
        long users = rows.users();
        long outbox = rows.outbox();

        ApiClient.Response response = api.send(request.method(), request.path(), request.contentType(),
                request.body(), request.chunked());

        assertThat(response.status()).as(response.http().body()).isEqualTo(request.status());
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("/problems/" + request.type());
        assertThat(response.json().get("status").asInt()).isEqualTo(request.status());
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).isNotBlank()
                .doesNotContain("Exception", "[Source", "#UNKNOWN");
        if (request.field() != null) {
            assertThat(response.json().get("errors").findValuesAsString("field")).contains(request.field());
        }
        assertThat(rows.users()).as("user rows").isEqualTo(users);
        assertThat(rows.outbox()).as("outbox rows").isEqualTo(outbox);
    }

    private static BadRequest post(String description, String body, int status, String type, String field) {
        return new BadRequest(description, "POST", SIGNUPS, JSON, bytes(body), false, status, type, field);
    }

    private static BadRequest postBytes(String description, byte[] body, int status, String type) {
        return new BadRequest(description, "POST", SIGNUPS, JSON, body, false, status, type, null);
    }

    private static String valid() {
        return signup("ada-" + UUID.randomUUID() + "@example.com", "Ada");
    }

    private static String signup(String email, String name) {
        return "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(before));
        out.writeBytes(middle);
        out.writeBytes(bytes(after));
        return out.toByteArray();
    }
}
