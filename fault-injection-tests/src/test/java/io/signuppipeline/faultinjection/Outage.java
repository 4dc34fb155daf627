package io.signuppipeline.faultinjection;

import java.time.Duration;

/**
 * One of the machine's own services taken down on purpose. Closing the outage always brings the
 * service back, so a scenario that fails half-way never leaves it down for the next scenario, the
 * next module or the next engineer.
 */
final class Outage implements AutoCloseable {

    private final String service;
    private final Runnable restore;
    private final long began;
    private Duration length;

    private Outage(String service, Runnable restore) {
        this.service = service;
        this.restore = restore;
        this.began = System.nanoTime();
    }

    /** Stops the service; if stopping fails half-way, starts it again before reporting the failure. */
    static Outage begin(String service, Runnable stop, Runnable restore) {
        Narrator.say("Stopping %s", service);
        long started = System.nanoTime();
        try {
            stop.run();
        } catch (RuntimeException e) {
            restore.run();
            throw e;
        }
        Narrator.say("%s stopped; stopping took %s", service, Narrator.human(Duration.ofNanos(System.nanoTime() - started)));
        return new Outage(service, restore);
    }

    /** Brings the service back, once, and answers how long it was down, start command included. */
    synchronized Duration end() {
        if (length == null) {
            restore.run();
            length = Duration.ofNanos(System.nanoTime() - began);
            Narrator.say("%s is back after %s down", service, Narrator.human(length));
        }
        return length;
    }

    @Override
    public void close() {
        end();
    }
}
