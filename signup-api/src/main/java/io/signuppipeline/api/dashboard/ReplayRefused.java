package io.signuppipeline.api.dashboard;

/**
 * The worker refused the admin credential given for a replay.
 */
public class ReplayRefused extends RuntimeException {

    ReplayRefused(String worker) {
        super(worker + " refused the admin credential; nothing was replayed.");
    }
}
