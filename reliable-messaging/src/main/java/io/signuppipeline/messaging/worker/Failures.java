package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.EventJson;
import java.util.regex.Pattern;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.core.JacksonException;

/**
 * Tells failures that a retry may fix (I/O errors, timeouts, 5xx, 408, 429, a database hiccup) from
 * those it cannot (a {@link PermanentFailure}, or any other 4xx answer from an HTTP downstream).
 */
final class Failures {

    private static final boolean WEB_CLIENT_PRESENT = ClassUtils.isPresent(
            "org.springframework.web.client.RestClientResponseException", Failures.class.getClassLoader());

    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

    private Failures() {
    }

    static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PermanentFailure) {
                return true;
            }
            if (WEB_CLIENT_PRESENT && HttpAnswers.isPermanent(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a person needs to know about a failure: its class and message on one line, never its stack
     * trace; of a JSON parser's failure, its own words without its notes on where
     * ({@link EventJson#problem}).
     */
    static String describe(Throwable failure) {
        String text = failure instanceof JacksonException json ? EventJson.problem(json) : failure.getMessage();
        String message = text == null ? "" : ": " + LINE_BREAKS.matcher(text).replaceAll(" ");
        String described = failure.getClass().getName() + message;
        return described.length() <= 500 ? described : described.substring(0, 500) + "...";
    }

    /** Kept apart so that services without spring-web never load the class. */
    private static final class HttpAnswers {

        static boolean isPermanent(Throwable failure) {
            if (!(failure instanceof RestClientResponseException answer)) {
                return false;
            }
            int status = answer.getStatusCode().value();
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
    }
}
