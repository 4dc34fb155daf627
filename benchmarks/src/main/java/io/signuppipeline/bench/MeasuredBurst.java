package io.signuppipeline.bench;

import static io.signuppipeline.bench.Benchmark.BURST_LIMIT;
import static io.signuppipeline.bench.Benchmark.catchUp;
import static io.signuppipeline.bench.Benchmark.say;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The run's main burst, of the configured size; the workers have caught up when it returns. */
    static MeasuredBurst measure(BenchPipeline pipeline, Settings settings, List<String> notes, String run) {
        say("Burst of %,d signups, every service profiled", settings.burst());
        Costs before = Costs.settled(pipeline);
        Profiles profiles = Profiles.start(pipeline.services(), recordings());
        Burst.Result burst = Burst.run(pipeline, run + "-burst", settings.burst(), settings.inFlight(), BURST_LIMIT);
        Costs after = Costs.read(pipeline);
        Map<String, Profiles.Profile> hottest = profiles.stop(HOTTEST);
        Costs.PerSignup cost = after.withBrokerCountersOf(pipeline).since(before, Math.max(1, burst.created()));
        say("Burst: accepted in %.1f s (answers p50 %.1f ms, p99 %.1f ms, max %.1f ms), every step DONE after %.1f s "
                + "(%.0f signups/s); %.2f ms of CPU per signup", burst.acceptedSeconds(), burst.answerMillis(50),
                burst.answerMillis(99), burst.answerMillis(100), burst.recordedSeconds(),
                burst.created() / burst.recordedSeconds(), cost.cpuMillisTotal());
        catchUp(pipeline, settings, notes, "after the burst");
        return new MeasuredBurst(burst, cost, hottest);
    }

    /** The burst's charts, costs and profiles; the burst's own section comes before. */
    void report(BurstReport report, Path output) {
        Charts.overTime("Messages waiting per worker queue during the burst", "messages ready", burst.samples(),
                Burst.Sample::ready, output.resolve("burst-queues.png"));
        Charts.overTime("Signups processed per step during the burst", "signups processed", burst.samples(),
                Burst.Sample::processed, output.resolve("burst-processed.png"));
        Charts.overTime("CPU per process during the burst", "% of one core", burst.samples(),
                Burst.Sample::cpuPercent, output.resolve("burst-cpu.png"));
        report.cost(cost);
        report.profiles(profiles);
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
