package io.signuppipeline.api.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;

/**
 * A JSON request body must be UTF-8, as RFC 8259 requires between systems, and UTF-8 that every
 * reader of the same bytes decodes alike.
 *
 * <p>Jackson's own detection is lenient where leniency lets two readers disagree: it accepts
 * overlong encodings, skips a byte order mark and takes NUL bytes for UTF-16 or UTF-32. A declared
 * charset other than UTF-8 would make a proxy or firewall that honours it see other JSON than the API.
 */
final class Utf8Json {

    private Utf8Json() {
    }

    static void check(MediaType declared, byte[] body) throws InvalidUtf8 {
        requireNoOtherCharset(declared);
        requireWellFormed(body);
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new InvalidUtf8("The request body starts with a byte order mark; send UTF-8 JSON without one.");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new InvalidUtf8("The request body contains a NUL byte; send UTF-8 JSON, not UTF-16 or UTF-32.");
            }
        }
    }

    /** A charset Java does not know never gets here: Spring MVC answers 415 before the body is read. */
    private static void requireNoOtherCharset(MediaType declared) throws InvalidUtf8 {
        if (declared.getCharset() != null && !StandardCharsets.UTF_8.equals(declared.getCharset())) {
            throw new InvalidUtf8("The request body must be UTF-8 JSON; declare charset=UTF-8 or no charset.");
        }
    }

    private static void requireWellFormed(byte[] body) throws InvalidUtf8 {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8("The request body is not valid UTF-8.");
        }
    }
}
