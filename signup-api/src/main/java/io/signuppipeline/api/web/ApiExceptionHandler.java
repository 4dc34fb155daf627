package io.signuppipeline.api.web;

import io.signuppipeline.api.dashboard.ReplayRefused;
import io.signuppipeline.api.dashboard.WorkerUnavailable;
import io.signuppipeline.api.pipeline.BrokerFiguresUnavailable;
import io.signuppipeline.api.ratelimit.TooManySignups;
import io.signuppipeline.api.signup.EmailAlreadyRegistered;
import io.signuppipeline.api.signup.SignupNotFound;
import io.signuppipeline.messaging.database.ConnectionPoolBusy;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Turns every failure into an {@code application/problem+json} answer with a stable {@code type}.
 *
 * <p>Client mistakes get a 4xx that says what to fix, and nothing is logged as an error; only a
 * failure of our own is a 5xx, and only an unexpected one is logged with its stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** How long a client should wait before retrying a 503: a restarting database or broker takes seconds. */
    private static final int RETRY_AFTER_SECONDS = 5;

    @ExceptionHandler(EmailAlreadyRegistered.class)
    ResponseEntity<Object> emailAlreadyRegistered(EmailAlreadyRegistered e) {
        return answer(problem(ProblemType.EMAIL_ALREADY_REGISTERED, e.getMessage()));
    }

    /** Not logged: under a flood that would be one line per refused request. */
    @ExceptionHandler(TooManySignups.class)
    ResponseEntity<Object> tooManySignups(TooManySignups e) {
        return retryLater(problem(ProblemType.TOO_MANY_REQUESTS, e.getMessage()), e.retryAfterSeconds());
    }

    @ExceptionHandler(SignupNotFound.class)
    ResponseEntity<Object> signupNotFound(SignupNotFound e) {
        return answer(problem(ProblemType.SIGNUP_NOT_FOUND, e.getMessage()));
    }

    /**
     * The database is up, but every connection stayed in use for the whole busy-pool wait: more requests
     * than the service can take, not an outage, and the answer says so.
     */
    @ExceptionHandler(ConnectionPoolBusy.class)
    ResponseEntity<Object> serviceBusy(ConnectionPoolBusy e, HttpServletRequest request) {
        log.warn("Answering 503 to {} {}: every database connection stayed in use for {} ms", request.getMethod(),
                request.getRequestURI(), e.waited().toMillis());
        return retryLater(problem(ProblemType.SERVICE_BUSY, "The service has more requests than it can take right "
                + "now; nothing was saved. Try again after " + RETRY_AFTER_SECONDS + " seconds."), RETRY_AFTER_SECONDS);
    }

    /**
     * The database is down or unreachable: a 503 within Hikari's connection timeout, and one WARN line
     * with the cause, no stack trace; where in the code the outage surfaced says nothing new.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<Object> databaseUnavailable(Exception e, HttpServletRequest request) {
        log.warn("Answering 503 to {} {}: the database is unavailable: {}", request.getMethod(),
                request.getRequestURI(), NestedExceptionUtils.getMostSpecificCause(e).toString());
        return retryLater(problem(ProblemType.DATABASE_UNAVAILABLE, "The database cannot be reached right now; "
                + "try again after " + RETRY_AFTER_SECONDS + " seconds."), RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(BrokerFiguresUnavailable.class)
    ResponseEntity<Object> queueFiguresUnavailable(BrokerFiguresUnavailable e, HttpServletRequest request) {
        log.warn("Answering 503 to {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return retryLater(problem(ProblemType.QUEUE_FIGURES_UNAVAILABLE, "The broker's management API did not "
                + "answer, so there are no queue figures; try again after " + RETRY_AFTER_SECONDS + " seconds."),
                RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(ReplayRefused.class)
    ResponseEntity<Object> replayRefused(ReplayRefused e) {
        return answer(problem(ProblemType.REPLAY_REFUSED, e.getMessage()));
    }

    @ExceptionHandler(WorkerUnavailable.class)
    ResponseEntity<Object> workerUnavailable(WorkerUnavailable e, HttpServletRequest request) {
        log.warn("Answering 502 to {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return answer(problem(ProblemType.WORKER_UNAVAILABLE, e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected failure answered with 500", e);
        return answer(problem(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; it has been logged."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(e, BodyTooLarge.class) instanceof BodyTooLarge tooLarge) {
            return answer(problem(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage()));
        }
        if (causedBy(e, InvalidUtf8.class) instanceof InvalidUtf8 invalid) {
            return answer(problem(ProblemType.MALFORMED_REQUEST, invalid.getMessage()));
        }
        ProblemDetail problem = problem(ProblemType.MALFORMED_REQUEST, "The request body is not a valid JSON "
                + "signup object.");
        if (causedBy(e, JacksonException.class) instanceof JacksonException json) {
            problem.setDetail(JsonProblems.describe(json));
            List<FieldError> errors = JsonProblems.fieldErrors(json);
            if (!errors.isEmpty()) {
                problem.setProperty("errors", errors);
            }
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            problem.setDetail("The request has no body; send a JSON object with email and name.");
        }
        return answer(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), Objects.requireNonNullElse(
                        error.getDefaultMessage(), "is invalid")))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::detail))
                .toList();
        ProblemDetail problem = problem(ProblemType.INVALID_FIELDS, "Some fields are invalid; nothing was saved.");
        problem.setProperty("errors", errors);
        return answer(problem);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
        String expected = e.getRequiredType() == null ? "a valid value" : "a " + e.getRequiredType().getSimpleName();
        ProblemDetail problem = problem(ProblemType.INVALID_PARAMETER, "'" + name + "' must be " + expected + ".");
        problem.setProperty("errors", List.of(new FieldError(name, "must be " + expected)));
        return answer(problem);
    }

    /** Gives Spring's own answers (405, 406, 415, 404 ...) a type of ours instead of about:blank. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || "about:blank".equals(problem.getType().toString()))) {
            ProblemType type = ProblemType.forStatus(status.value());
            problem.setType(type.uri());
            problem.setTitle(type.title());
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    private static ResponseEntity<Object> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static ResponseEntity<Object> retryLater(ProblemDetail problem, long seconds) {
        return ResponseEntity.status(problem.getStatus())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(problem);
    }

    private static Throwable causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }
}
