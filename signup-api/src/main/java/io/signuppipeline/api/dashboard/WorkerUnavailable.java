package io.signuppipeline.api.dashboard;

/**
 * A worker could not be asked for a replay: no address is configured for it, it did not answer, or it
 * answered with an error.
 */
public class WorkerUnavailable extends RuntimeException {

    WorkerUnavailable(String message) {
        super(message);
    }
}
