package io.signuppipeline.api.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of problem the API answers with. The {@code type} URIs are stable: clients may branch on them.
 */
enum ProblemType {
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request body"),
    INVALID_FIELDS("invalid-fields", HttpStatus.BAD_REQUEST, "Invalid fields"),
    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid parameter"),
    BAD_REQUEST("bad-request", HttpStatus.BAD_REQUEST, "Bad request"),
    REPLAY_REFUSED("replay-refused", HttpStatus.FORBIDDEN, "Replay refused"),
    EMAIL_ALREADY_REGISTERED("email-already-registered", HttpStatus.CONFLICT, "Email already registered"),
    SIGNUP_NOT_FOUND("signup-not-found", HttpStatus.NOT_FOUND, "Signup not found"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    TOO_MANY_REQUESTS("too-many-requests", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    DATABASE_UNAVAILABLE("database-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable"),
    SERVICE_BUSY("service-busy", HttpStatus.SERVICE_UNAVAILABLE, "Service busy"),
    QUEUE_FIGURES_UNAVAILABLE("queue-figures-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Queue figures unavailable"),
    WORKER_UNAVAILABLE("worker-unavailable", HttpStatus.BAD_GATEWAY, "Worker unavailable"),
    SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    /** Where the problem types are documented; a relative reference resolves against the API's own address. */
    static final String BASE = "/problems/";

    private final String slug;
    private final HttpStatus status;
    private final String title;

    ProblemType(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    URI uri() {
        return URI.create(BASE + slug);
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    /** The generic type for a status Spring answered on its own, such as 405 or 415. */
    static ProblemType forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
