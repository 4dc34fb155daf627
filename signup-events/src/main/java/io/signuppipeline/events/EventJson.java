package io.signuppipeline.events;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How events turn into bytes and back, the same way in every service.
 *
 * <p>Readers ignore fields they do not know, so a producer can add a field before every consumer
 * has been redeployed. This mapper is the contract's own, independent of any service's HTTP
 * settings (the signup API parses requests strictly; events must not be).
 */
public final class EventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventJson() {
    }

    /** The shared mapper, for message converters that need one. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** The envelope as UTF-8 JSON bytes. */
    public static byte[] write(CloudEvent<?> event) {
        return MAPPER.writeValueAsBytes(event);
    }

    /**
     * What a JSON failure says, in the parser's own words: without the notes on where in its input
     * it happened ("at [Source: REDACTED ...; line: 1, column: 11]", "start marker at ..."), which,
     * with the input kept out of messages, name nothing a reader can use.
     */
    public static String problem(JacksonException failure) {
        String message = failure.getOriginalMessage() == null ? "" : failure.getOriginalMessage();
        int note = message.indexOf(" (start marker at ");
        return note < 0 ? message : message.substring(0, note);
    }

    /** Reads an envelope whose {@code data} is of the given payload type. */
    public static <T> CloudEvent<T> read(byte[] json, Class<T> dataType) {
        JavaType type = MAPPER.getTypeFactory().constructParametricType(CloudEvent.class, dataType);
        return MAPPER.readValue(json, type);
    }
}
