package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.Rows;
import io.signuppipeline.api.SignupApiTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Input crafted to break something downstream (mail headers, logs, terminals, HTML, SQL, the JSON
 * parser, the reader's eyes) is refused at the door: a 4xx problem+json, and no row written.
 *
 * <p>Every row but the broken part is a valid signup with an address nobody else uses, so an API that
 * let the hostile part through would answer 201 and write a row, not a 409. Input that only looks
 * hostile, such as HTML in a name, is accepted as typed: escaping it is each output's job.
 */
@SignupApiTest
class HostileInputTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JSON_TYPE = "application/json";

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
     * One hostile request body and the refusal it must get.
     *
     * @param description what it tries, for the test report
     * @param contentType the Content-Type header
     * @param body the raw bytes sent
     * @param type the expected problem type slug
     * @param field the field the answer must name in its errors, or null
     */
    record Hostile(String description, String contentType, byte[] body, String type, String field) {

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Hostile> hostileInputs() {
        return Stream.of(controlCharactersInTheEmail(), addressSyntaxTricks(), injectionInTheEmail(),
                controlCharactersInTheName(), invisibleCharactersInTheName(), jsonTricks(), encodingTricks())
                .flatMap(rows -> rows);
    }

    private static Stream<Hostile> controlCharactersInTheEmail() {
        return Stream.of(
                badEmail("a NUL in the email", local("ada") + "\0@example.com"),
                badEmail("a mail header injected after the email", local("ada") + "@example.com\r\nBcc: eve@example.com"),
                badEmail("a line feed and a To header in the email", local("ada") + "@example.com\nTo: eve@example.com"),
                badEmail("a tab inside the email", local("ada") + "\t@example.com"),
                badEmail("an ANSI colour escape in the email", "\u001b[31m" + local("ada") + "@example.com"),
                badEmail("a DEL in the email", local("ada") + "\u007f@example.com"),
                badEmail("a right-to-left override in the email", local("ada") + "\u202E@example.com"),
                badEmail("a zero-width space in the email", "ada\u200B" + local("") + "@example.com"),
                badEmail("a zero-width joiner in the email", "ada\u200D" + local("") + "@example.com"),
                badEmail("a byte order mark before the email", "\uFEFF" + local("ada") + "@example.com"),
                badEmail("a soft hyphen in the email", "ada\u00AD" + local("") + "@example.com"),
                badEmail("a fullwidth @ in the email", local("ada") + "\uFF20example.com"));
    }

    private static Stream<Hostile> addressSyntaxTricks() {
        return Stream.of(
                badEmail("a quoted local part", "\"" + local("ada") + "\"@example.com"),
                badEmail("a quoted local part with spaces", "\"" + local("ada lovelace") + "\"@example.com"),
                badEmail("a comment after the local part", local("ada") + "(comment)@example.com"),
                badEmail("a comment before the local part", "(comment)" + local("ada") + "@example.com"),
                badEmail("an IPv4 literal domain", local("ada") + "@[127.0.0.1]"),
                badEmail("an IPv6 literal domain", local("ada") + "@[IPv6:::1]"),
                badEmail("a bare IP address as domain", local("ada") + "@127.0.0.1"),
                badEmail("a second @ routing elsewhere", local("ada") + "@evil.example@example.com"),
                badEmail("two addresses separated by a comma", local("ada") + "@example.com,eve@example.com"),
                badEmail("a display name with the address in angle brackets", "Ada <" + local("ada") + "@example.com>"),
                badEmail("a local part of 65 characters", "a".repeat(65 - 13) + local("") + "@example.com"),
                badEmail("a domain label of 64 characters", local("ada") + "@" + "d".repeat(64) + ".com"),
                badEmail("an underscore in the domain", local("ada") + "@exa_mple.com"),
                badEmail("a domain label starting with a hyphen", local("ada") + "@-example.com"),
                badEmail("a trailing dot after the domain", local("ada") + "@example.com."),
                badEmail("two dots in a row in the local part", "ada.." + local("") + "@example.com"),
                badEmail("a local part starting with a dot", "." + local("ada") + "@example.com"),
                badEmail("a numeric top-level domain", local("ada") + "@example.123"),
                badEmail("a backslash in the local part", "ada\\" + local("") + "@example.com"));
    }

    private static Stream<Hostile> injectionInTheEmail() {
        return Stream.of(
                badEmail("SQL: a statement after a quote", "'; DROP TABLE users; --" + local("") + "@example.com"),
                badEmail("SQL: a tautology after the address", local("ada") + "@example.com' OR '1'='1"),
                badEmail("SQL: a comment after the domain", local("ada") + "@example.com'--"),
                badEmail("a script element as local part", "<script>alert(1)</script>" + local("") + "@example.com"),
                badEmail("a script element after the domain", local("ada") + "@example.com<script>alert(1)</script>"),
                badEmail("a javascript: URL as local part", "javascript:alert(1)//" + local("") + "@example.com"),
                badEmail("a URL-encoded header injection", local("ada") + "@example.com%0d%0aBcc:eve@example.com"),
                new Hostile("a query operator object as email", JSON_TYPE,
                        bytes("{\"email\":{\"$ne\":null},\"name\":\"Ada\"}"), "malformed-request", "email"));
    }

    private static Stream<Hostile> controlCharactersInTheName() {
        return Stream.of(
                badName("a NUL in the name", "Ada\0Lovelace"),
                badName("a mail header injected after the name", "Ada\r\nBcc: eve@example.com"),
                badName("a carriage return in the name", "Ada\rLovelace"),
                badName("a form feed in the name", "Ada\fLovelace"),
                badName("an ANSI screen-clearing escape in the name", "\u001b[2J\u001b[31mAda"),
                badName("a DEL in the name", "Ada\u007f"),
                badName("a C1 control sequence introducer in the name", "Ada\u009b31m"),
                badName("a paragraph separator in the name", "Ada\u2029Lovelace"));
    }

    private static Stream<Hostile> invisibleCharactersInTheName() {
        return Stream.of(
                badName("a right-to-left override in the name", "Ada \u202Emoc.live"),
                badName("a left-to-right override in the name", "\u202DAda"),
                badName("a right-to-left embedding in the name", "\u202BAda"),
                badName("a right-to-left isolate in the name", "Ada \u2067evil\u2069"),
                badName("a right-to-left mark in the name", "Ada\u200F"),
                badName("an Arabic letter mark in the name", "Ada\u061C"),
                badName("a zero-width space in the name", "Ada\u200BLovelace"),
                badName("a word joiner in the name", "Ada\u2060Lovelace"),
                badName("a byte order mark in the name", "\uFEFFAda"),
                badName("an invisible separator as the whole name", "\u2063"),
                badName("an invisible tag character in the name", "Ada\uDB40\uDC01"),
                badName("a private-use character in the name", "Ada\uE000"),
                badName("an unassigned code point in the name", "Ada\u0378"),
                badName("a noncharacter in the name", "Ada\uFFFF"),
                badName("an interlinear annotation anchor in the name", "Ada\uFFF9"));
    }

    private static Stream<Hostile> jsonTricks() {
        return Stream.of(
                malformed("arrays nested 5,000 deep as email",
                        "{\"email\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"name\":\"Ada\"}", null),
                malformed("objects nested 2,000 deep under an extra key",
                        "{\"x\":" + "{\"x\":".repeat(2_000) + "1" + "}".repeat(2_000) + "," + fields(), null),
                malformed("the name twice", "{\"email\":\"" + local("ada") + "@example.com\",\"name\":\"Ada\","
                        + "\"name\":\"Eve\"}", null),
                malformed("a second email key in another letter case", "{\"Email\":\"eve@example.com\"," + fields(),
                        "Email"),
                malformed("a huge exponent as email", "{\"email\":1e999999999,\"name\":\"Ada\"}", "email"),
                malformed("a 2,000-digit number as name", "{\"email\":\"" + local("ada") + "@example.com\",\"name\":"
                        + "9".repeat(2_000) + "}", null),
                malformed("NaN as email", "{\"email\":NaN,\"name\":\"Ada\"}", null),
                malformed("-Infinity as name", "{\"email\":\"" + local("ada") + "@example.com\",\"name\":-Infinity}",
                        null),
                malformed("a __proto__ key", "{\"__proto__\":{\"admin\":true}," + fields(), "__proto__"),
                malformed("a constructor.prototype key", "{\"constructor\":{\"prototype\":{\"admin\":true}},"
                        + fields(), "constructor"),
                malformed("the name as an array", "{\"email\":\"" + local("ada") + "@example.com\",\"name\":[\"Ada\"]}",
                        "name"),
                malformed("two addresses as an array", "{\"email\":[\"" + local("ada") + "@example.com\","
                        + "\"eve@example.com\"],\"name\":\"Ada\"}", "email"),
                malformed("a trailing comma", "{" + fields().replace("}", ",}"), null),
                malformed("unquoted keys", "{email:\"" + local("ada") + "@example.com\",name:\"Ada\"}", null),
                malformed("a NUL in a key", "{\"email\\u0000\":\"x\"," + fields(), "email\u0000"),
                malformed("a key of 10,000 characters", "{\"" + "k".repeat(10_000) + "\":1," + fields(), null),
                malformed("a line comment after the object", "{" + fields() + " // done", null),
                malformed("a boolean as email", "{\"email\":true,\"name\":\"Ada\"}", "email"));
    }

    private static Stream<Hostile> encodingTricks() {
        return Stream.of(
                new Hostile("a UTF-8 byte order mark before the object", JSON_TYPE,
                        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes("{" + fields())),
                        "malformed-request", null),
                new Hostile("a UTF-16 body without byte order mark", JSON_TYPE,
                        ("{" + fields()).getBytes(StandardCharsets.UTF_16LE), "malformed-request", null),
                new Hostile("a UTF-16 body with byte order mark", JSON_TYPE,
                        ("{" + fields()).getBytes(StandardCharsets.UTF_16), "malformed-request", null),
                new Hostile("a Latin-1 body declared as such", JSON_TYPE + ";charset=ISO-8859-1",
                        ("{\"email\":\"" + local("zoe") + "@example.com\",\"name\":\"Zo\u00eb\"}")
                                .getBytes(StandardCharsets.ISO_8859_1), "malformed-request", null),
                new Hostile("a UTF-8 body declared as UTF-16", JSON_TYPE + ";charset=UTF-16", bytes("{" + fields()),
                        "malformed-request", null),
                new Hostile("a charset Java does not know", JSON_TYPE + ";charset=UTF-7", bytes("{" + fields()),
                        "unsupported-media-type", null),
                new Hostile("a raw NUL byte between tokens", JSON_TYPE,
                        concat(bytes("{\"email\":\"" + local("ada") + "@example.com\""), new byte[] {0},
                                bytes(",\"name\":\"Ada\"}")), "malformed-request", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void isRefusedWithAProblemAndWritesNothing(Hostile input) {
        long users = rows.users();
        long outbox = rows.outbox();

        ApiClient.Response response = api.send("POST", "/api/signups", input.contentType(), input.body());

        assertThat(response.status()).as(response.http().body()).isBetween(400, 499);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).as(response.http().body())
                .isEqualTo("/problems/" + input.type());
        assertThat(response.json().get("detail").asString()).isNotBlank().doesNotContain("Exception");
        if (input.field() != null) {
            assertThat(response.json().get("errors").findValuesAsString("field")).contains(input.field());
        }
        assertThat(rows.users()).as("user rows").isEqualTo(users);
        assertThat(rows.outbox()).as("outbox rows").isEqualTo(outbox);
    }

    /**
     * What looks dangerous but is a legitimate name or address: it is stored as typed, and each
     * worker escapes it for its own output (HTML in the email, Slack's markup in the post).
     */
    static Stream<Arguments> acceptableInputs() {
        return Stream.of(
                arguments(local("ada") + "@example.com", "<b>Ada</b> <script>alert(1)</script>"),
                arguments(local("ada") + "@example.com", "<!channel> <@U123> <http://evil.example|click>"),
                arguments(local("bobby") + "@example.com", "Robert'); DROP TABLE users;--"),
                arguments("o'brien" + local("") + "@example.com", "O'Brien & Sons"),
                arguments(local("ada+signup") + "@example.com", "\uD83D\uDC69\u200D\uD83D\uDCBB Ada"),
                arguments(local("maryam") + "@example.com", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"),
                arguments(local("zo\u00eb") + "@\u00e9xample.com", "Zo\u00eb \u00c5ngstr\u00f6m"),
                arguments(local("\u7528\u6237") + "@\u4f8b\u5b50.\u516c\u53f8", "\u674e\u96f7"));
    }

    @ParameterizedTest(name = "{1} <{0}>")
    @MethodSource("acceptableInputs")
    void isAcceptedAndStoredAsTyped(String email, String name) {
        ApiClient.Response created = api.send("POST", "/api/signups", JSON_TYPE, signup(email, name));

        assertThat(created.status()).as(created.http().body()).isEqualTo(201);
        ApiClient.Response read = api.get(created.header("Location"));
        assertThat(read.json().get("email").asString()).isEqualTo(email);
        assertThat(read.json().get("name").asString()).isEqualTo(name);
    }

    /** A local part nobody else uses, starting with {@code prefix}: 13 characters more. */
    private static String local(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static Hostile badEmail(String description, String email) {
        return new Hostile(description, JSON_TYPE, signup(email, "Ada"), "invalid-fields", "email");
    }

    private static Hostile badName(String description, String name) {
        return new Hostile(description, JSON_TYPE, signup(local("ada") + "@example.com", name), "invalid-fields",
                "name");
    }

    private static Hostile malformed(String description, String body, String field) {
        return new Hostile(description, JSON_TYPE, bytes(body), "malformed-request", field);
    }

    /** The two fields of a valid signup with a fresh address, and the closing brace. */
    private static String fields() {
        return "\"email\":\"" + local("ada") + "@example.com\",\"name\":\"Ada\"}";
    }

    /** A JSON body written by Jackson, which escapes control characters and leaves the rest as UTF-8. */
    private static byte[] signup(String email, String name) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("name", name);
        return JSON.writeValueAsBytes(body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
