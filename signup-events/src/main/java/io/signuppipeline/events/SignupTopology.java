package io.signuppipeline.events;

/**
 * The broker names every service agrees on; nobody types them as string literals elsewhere.
 */
public final class SignupTopology {

    /** Durable topic exchange that carries every event of the pipeline. */
    public static final String EXCHANGE = "signup.events";

    /** Routing key of {@link UserSignedUp}; each worker's queue is bound to it. */
    public static final String USER_SIGNED_UP = UserSignedUp.TYPE;

    private SignupTopology() {
    }
}
