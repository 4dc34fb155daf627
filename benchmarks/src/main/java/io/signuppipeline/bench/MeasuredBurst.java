package io.signuppipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A burst with its costs counted and every service profiled while it ran.
 *
 * @param burst the burst's figures
 * @param cost one signup's share of the transactions, broker operations and CPU
 * @param profiles each service's hottest frames during the burst
 */
record MeasuredBurst(Burst.Result burst, Costs.PerSignup cost, Map<String, Profiles.Profile> profiles) {

    /** Frames named per service in the report. */
    static final int HOTTEST = 5;

    static MeasuredBurst run(BenchPipeline pipeline, String cohort, int signups, int inFlight, Duration limit) {
        Costs before = Costs.settled(pipeline);
        Profiles profiles = Profiles.start(pipeline.services(), recordings());
        Burst.Result burst = Burst.run(pipeline, cohort, signups, inFlight, limit);
        Costs after = Costs.read(pipeline);
        Map<String, Profiles.Profile> hottest = profiles.stop(HOTTEST);
        Costs.PerSignup cost = after.withBrokerCountersOf(pipeline).since(before, Math.max(1, burst.created()));
        return new MeasuredBurst(burst, cost, hottest);
    }

    /** The recordings stay in the build folder, to open in JDK Mission Control: they are too big to commit. */
    private static Path recordings() {
        try {
            return Files.createDirectories(Path.of("target", "profiles"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
