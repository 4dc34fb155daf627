package io.signuppipeline.events;

import java.util.List;

/**
 * One of the pipeline's workers: the Java side of the roster, used by the tests, the benchmark and
 * the test infrastructure that starts the services. {@code scripts/workers.roster} is the same list for
 * the scripts, and {@code ComposeFileTest} keeps the two, {@code .env.example} and the compose file in
 * step. The signup API uses neither: it learns the steps from the workers' announcements.
 *
 * @param service the worker's application name, which its queues, broker user and database role are named after
 * @param step the step it does, in each signup's status; also the name of its database schema
 * @param port its HTTP port by default
 */
public record Worker(String service, String step, int port) {

    /** The workers, in the order a person reads a signup's steps. */
    public static final List<Worker> ALL = List.of(
            new Worker("email-worker", SignupTopology.EMAIL_STEP, 8081),
            new Worker("fraud-worker", SignupTopology.FRAUD_STEP, 8082),
            new Worker("billing-worker", SignupTopology.BILLING_STEP, 8083),
            new Worker("notify-worker", SignupTopology.NOTIFY_STEP, 8084));

    /** The workers' service names. */
    public static List<String> services() {
        return ALL.stream().map(Worker::service).toList();
    }

    /** The steps they do. */
    public static List<String> steps() {
        return ALL.stream().map(Worker::step).toList();
    }

    /** The work queue, e.g. {@code email-worker.user-signed-up}. */
    public String workQueue() {
        return SignupTopology.workQueue(service);
    }
}
