package io.signuppipeline.api.pipeline;

/**
 * The broker's management API could not be asked for queue figures: it is unreachable, too slow,
 * refused the credentials or answered something unreadable.
 */
public class BrokerFiguresUnavailable extends RuntimeException {

    BrokerFiguresUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
