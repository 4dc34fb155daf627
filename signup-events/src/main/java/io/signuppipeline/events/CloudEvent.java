package io.signuppipeline.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The CloudEvents 1.0 envelope, in structured JSON mode, that carries every event of the pipeline.
 *
 * @param specversion always {@value #SPEC_VERSION}
 * @param id unique per event; consumers deduplicate on it and it is also the AMQP {@code message_id}
 * @param source the producing service, as a URI reference such as {@code /signup-api}
 * @param type what happened, such as {@value UserSignedUp#TYPE}; also the AMQP {@code type} property
 * @param time when it happened
 * @param datacontenttype always {@value #DATA_CONTENT_TYPE}
 * @param data the payload record
 * @param <T> the payload type
 */
public record CloudEvent<T>(
        String specversion, UUID id, String source, String type, Instant time, String datacontenttype, T data) {

    /** The only CloudEvents version this contract speaks. */
    public static final String SPEC_VERSION = "1.0";

    /** The payload's media type inside the envelope. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** The AMQP {@code content_type} of a message whose body is a whole envelope (structured mode). */
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /**
     * The AMQP {@code content_type} of a message whose body is a JSON array of envelopes (batched
     * mode): how the workers send their results, several to a message.
     */
    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";

    public CloudEvent {
        Objects.requireNonNull(id, "the envelope has no id");
        Objects.requireNonNull(source, "the envelope has no source");
        Objects.requireNonNull(type, "the envelope has no type");
        Objects.requireNonNull(time, "the envelope has no time");
        Objects.requireNonNull(data, "the envelope has no data");
    }

    /** An envelope for a new fact, with the fixed spec version and data content type. */
    public static <T> CloudEvent<T> of(UUID id, String source, String type, Instant time, T data) {
        return new CloudEvent<>(SPEC_VERSION, id, source, type, time, DATA_CONTENT_TYPE, data);
    }
}
