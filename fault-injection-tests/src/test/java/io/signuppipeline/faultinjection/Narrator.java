package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.Locale;

/**
 * Tells what the suite is doing on stdout, which Failsafe copies into the build output, each line
 * stamped with the seconds since the suite began so a person can line it up with the services' logs.
 */
final class Narrator {

    private static final long STARTED = System.nanoTime();

    private Narrator() {
    }

    static void say(String format, Object... arguments) {
        double seconds = (System.nanoTime() - STARTED) / 1e9;
        System.out.printf(Locale.ROOT, "[fault-injection +%6.1fs] %s%n", seconds,
                String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }

    /** A duration the way people read one: {@code 850 ms}, {@code 12.4 s}. */
    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
