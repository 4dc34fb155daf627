package io.signuppipeline.api.web;

import io.signuppipeline.api.dashboard.WorkerUnavailable;
import io.signuppipeline.api.pipeline.BrokerFiguresUnavailable;
import io.signuppipeline.messaging.database.ConnectionPoolBusy;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the failures that are not the client's into an {@code application/problem+json} 5xx: a busy
 * or unreachable database, the broker's figures or a worker out of reach, and anything unexpected.
 * The expected ones are one WARN line with the cause and no stack trace, and a 503 says when to
 * retry; only an unexpected failure is logged with its stack trace.
 */
@RestControllerAdvice
class ServerFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ServerFailureHandler.class);
    /** How long a client should wait before retrying a 503: a restarting database or broker takes seconds. */
    private static final int RETRY_AFTER_SECONDS = 5;

    /**
     * The database is up, but every connection stayed in use for the whole busy-pool wait: more requests
     * than the service can take, not an outage, and the answer says so.
     */
    @ExceptionHandler(ConnectionPoolBusy.class)
    ResponseEntity<Object> serviceBusy(ConnectionPoolBusy e, HttpServletRequest request) {
        log.warn("Answering 503 to {} {}: every database connection stayed in use for {} ms", request.getMethod(),
                request.getRequestURI(), e.waited().toMillis());
        return retryLater(ProblemType.SERVICE_BUSY, "The service has more requests than it can take right now; "
                + "nothing was saved. Try again after " + RETRY_AFTER_SECONDS + " seconds.");
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
        return retryLater(ProblemType.DATABASE_UNAVAILABLE, "The database cannot be reached right now; try again "
                + "after " + RETRY_AFTER_SECONDS + " seconds.");
    }

    @ExceptionHandler(BrokerFiguresUnavailable.class)
    ResponseEntity<Object> queueFiguresUnavailable(BrokerFiguresUnavailable e, HttpServletRequest request) {
        log.warn("Answering 503 to {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return retryLater(ProblemType.QUEUE_FIGURES_UNAVAILABLE, "The broker's management API did not answer, so "
                + "there are no queue figures; try again after " + RETRY_AFTER_SECONDS + " seconds.");
    }

    @ExceptionHandler(WorkerUnavailable.class)
    ResponseEntity<Object> workerUnavailable(WorkerUnavailable e, HttpServletRequest request) {
        log.warn("Answering 502 to {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return Problems.answer(ProblemType.WORKER_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected failure answered with 500", e);
        return Problems.answer(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; it has been logged.");
    }

    private static ResponseEntity<Object> retryLater(ProblemType type, String detail) {
        return Problems.retryLater(Problems.of(type, detail), RETRY_AFTER_SECONDS);
    }
}
