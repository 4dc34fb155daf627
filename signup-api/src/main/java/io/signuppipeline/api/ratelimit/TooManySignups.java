package io.signuppipeline.api.ratelimit;

/**
 * A client has used up its signups for now.
 */
public class TooManySignups extends RuntimeException {

    private final long retryAfterSeconds;

    TooManySignups(long retryAfterSeconds) {
        super("Too many signups from your address; try again in " + retryAfterSeconds
                + (retryAfterSeconds == 1 ? " second." : " seconds."));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until the client's next signup would be let in, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
