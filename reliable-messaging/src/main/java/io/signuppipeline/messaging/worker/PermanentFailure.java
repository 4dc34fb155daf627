package io.signuppipeline.messaging.worker;

/**
 * Thrown by a {@link SignupStep} when retrying cannot help: the downstream refused the request
 * itself, not the moment. The event is parked in the worker's dead-letter queue at once, and the
 * failure does not count against the downstream's circuit breaker.
 */
public class PermanentFailure extends Exception {

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
