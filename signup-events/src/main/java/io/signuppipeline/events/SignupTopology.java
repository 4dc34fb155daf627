package io.signuppipeline.events;

/**
 * The broker names every service agrees on; nobody types them as string literals elsewhere.
 */
public final class SignupTopology {

    /** Durable topic exchange that carries every event of the pipeline. */
    public static final String EXCHANGE = "signup.events";

    /** Routing key of {@link UserSignedUp}; each worker's queue is bound to it. */
    public static final String USER_SIGNED_UP = UserSignedUp.TYPE;

    /** Routing key of {@link SignupStepCompleted}, which the signup API consumes. */
    public static final String STEP_COMPLETED = SignupStepCompleted.TYPE;

    /** Routing key of {@link SignupStepFailed}, which the signup API consumes. */
    public static final String STEP_FAILED = SignupStepFailed.TYPE;

    /** Routing key of {@link SignupStepReplayed}, which the signup API consumes. */
    public static final String STEP_REPLAYED = SignupStepReplayed.TYPE;

    /** Routing key of {@link SignupStepAnnounced}, which the signup API consumes to learn the steps. */
    public static final String STEP_ANNOUNCED = SignupStepAnnounced.TYPE;

    /** Routing key of {@link RiskAssessed}, which the signup API consumes. */
    public static final String RISK_ASSESSED = RiskAssessed.TYPE;

    /** The signup API's queue of worker results, bound to the step and risk routing keys above. */
    public static final String STEP_RESULTS_QUEUE = "signup-api.step-results";

    /** The welcome email step, done by email-worker. */
    public static final String EMAIL_STEP = "email";

    /** The fraud check step, done by fraud-worker. */
    public static final String FRAUD_STEP = "fraud";

    /** The Stripe customer step, done by billing-worker. */
    public static final String BILLING_STEP = "billing";

    /** The Slack message step, done by notify-worker. */
    public static final String NOTIFY_STEP = "notify";

    /** A worker's work queue, bound to {@link #USER_SIGNED_UP}, e.g. {@code email-worker.user-signed-up}. */
    public static String workQueue(String worker) {
        return queue(worker, "user-signed-up");
    }

    /** The queue a service consumes from: its own name, then what it consumes, e.g. {@code email-worker.user-signed-up}. */
    public static String queue(String service, String consumes) {
        return service + "." + consumes;
    }

    private SignupTopology() {
    }
}
