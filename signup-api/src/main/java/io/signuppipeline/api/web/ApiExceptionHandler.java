package io.signuppipeline.api.web;

import io.signuppipeline.api.dashboard.ReplayRefused;
import io.signuppipeline.api.ratelimit.TooManySignups;
import io.signuppipeline.api.signup.EmailAlreadyRegistered;
import io.signuppipeline.api.signup.SignupNotFound;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Turns the client's mistakes into an {@code application/problem+json} 4xx with a stable {@code type}
 * and a detail that says what to fix; none of them is logged as an error. Spring's own answers (404,
 * 405, 415 ...) get a type of ours too. Failures of our own are {@link ServerFailureHandler}'s, which
 * this advice comes before.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(EmailAlreadyRegistered.class)
    ResponseEntity<Object> emailAlreadyRegistered(EmailAlreadyRegistered e) {
        return Problems.answer(ProblemType.EMAIL_ALREADY_REGISTERED, e.getMessage());
    }

    /** Not logged: under a flood that would be one line per refused request. */
    @ExceptionHandler(TooManySignups.class)
    ResponseEntity<Object> tooManySignups(TooManySignups e) {
        return Problems.retryLater(Problems.of(ProblemType.TOO_MANY_REQUESTS, e.getMessage()), e.retryAfterSeconds());
    }

    @ExceptionHandler(SignupNotFound.class)
    ResponseEntity<Object> signupNotFound(SignupNotFound e) {
        return Problems.answer(ProblemType.SIGNUP_NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ReplayRefused.class)
    ResponseEntity<Object> replayRefused(ReplayRefused e) {
        return Problems.answer(ProblemType.REPLAY_REFUSED, e.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(e, BodyTooLarge.class) instanceof BodyTooLarge tooLarge) {
            return Problems.answer(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
        }
        if (causedBy(e, InvalidUtf8.class) instanceof InvalidUtf8 invalid) {
            return Problems.answer(ProblemType.MALFORMED_REQUEST, invalid.getMessage());
        }
        ProblemDetail problem = Problems.of(ProblemType.MALFORMED_REQUEST, "The request body is not a valid JSON "
                + "signup object.");
        if (causedBy(e, JacksonException.class) instanceof JacksonException json) {
            problem.setDetail(JsonProblems.describe(json));
            List<FieldError> errors = JsonProblems.fieldErrors(json);
            if (!errors.isEmpty()) {
                problem.setProperty("errors", errors);
            }
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            problem.setDetail("The request has no body, or its body is the JSON null; send a JSON object with email "
                    + "and name.");
        }
        return Problems.answer(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), Objects.requireNonNullElse(
                        error.getDefaultMessage(), "is invalid")))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::detail))
                .toList();
        ProblemDetail problem = Problems.of(ProblemType.INVALID_FIELDS, "Some fields are invalid; nothing was saved.");
        problem.setProperty("errors", errors);
        return Problems.answer(problem);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
        String expected = e.getRequiredType() == null ? "a valid value" : "a " + e.getRequiredType().getSimpleName();
        ProblemDetail problem = Problems.of(ProblemType.INVALID_PARAMETER, "'" + name + "' must be " + expected + ".");
        problem.setProperty("errors", List.of(new FieldError(name, "must be " + expected)));
        return Problems.answer(problem);
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

    private static Throwable causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }
}
