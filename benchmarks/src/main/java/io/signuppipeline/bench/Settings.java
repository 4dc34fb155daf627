package io.signuppipeline.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How much of each measurement a run does. The full run reproduces the lesson's figures (50,000
 * signups in the burst); the quick one checks that every measurement still works, in under three
 * minutes, and proves nothing about speed. {@code --burst N} cuts the full run's burst, whose
 * drain takes most of its time on a small machine; {@code --burst-only} runs the warm-up and the
 * burst alone, to profile a change quickly; {@code --warm-up-rounds N} caps the warm-up's bursts
 * (25 by default); {@code --in-flight N} changes how many of a burst's requests wait on the API at
 * once (32 by default), to see how much of their answer time is their own queue.
 *
 * @param name "full" or "quick", as written in the report
 * @param output where the report and charts go
 * @param warmUp how long the API alone is warmed up at the rate it is measured at, after the whole pipeline
 * @param warmUpBurst signups in each burst sent through the whole pipeline before anything is
 *        measured, so that every JVM has compiled its hot paths
 * @param warmUpRounds how many such bursts at most, while the JIT compilers are still busy during them
 * @param latencyRates the arrival rates of the latency table, signups per second
 * @param latencyStep how long each rate is held
 * @param maxRateSteps how many rates above the table the search for the maximum rate tries at most
 * @param drainLimit how long to wait for the workers to settle between steps
 * @param machineLimit how long pgbench and PerfTest run
 * @param burst signups in the burst, every worker unlimited
 * @param limitedBurst signups in the burst with the email worker held to {@code emailMaxRate}, and frozen until
 *        the other workers are through
 * @param emailMaxRate the email worker's limit in the second burst, messages per second
 * @param syncSignups signups measured against the lesson's downstream latencies
 * @param burstOnly whether to skip everything but the warm-up and the burst
 * @param inFlight requests every burst keeps waiting on the API at once
 */
record Settings(String name, Path output, Duration warmUp, int warmUpBurst, int warmUpRounds,
        List<Integer> latencyRates, Duration latencyStep, int maxRateSteps, Duration drainLimit,
        Duration machineLimit, int burst, int limitedBurst, int emailMaxRate, int syncSignups, boolean burstOnly,
        int inFlight) {

    /** The p99 a rate must keep to count as sustained. */
    static final Duration SUSTAINED_P99 = Duration.ofMillis(50);
    /**
     * Requests a burst keeps waiting on the API at once by default, as every report has measured; 8
     * already keep the API at the same rate (docs/benchmarks.md), the rest wait in its queue.
     */
    static final int BURST_IN_FLIGHT = 32;
    /** Signups per second in the sync-versus-async run: slow enough that nothing queues. */
    static final int SYNC_RATE = 10;

    static Settings of(List<String> arguments) {
        boolean quick = arguments.contains("--quick");
        Path output = Path.of(option(arguments, "--out", quick ? "bench-results/quick" : "bench-results"));
        if (quick) {
            return new Settings("quick", output, Duration.ofSeconds(5), 300, 1, List.of(50, 200), Duration.ofSeconds(3),
                    0, Duration.ofSeconds(90), Duration.ofSeconds(5), 600, 400, 500, 20, false, BURST_IN_FLIGHT);
        }
        int burst = Integer.parseInt(option(arguments, "--burst", "50000"));
        boolean burstOnly = arguments.contains("--burst-only");
        int inFlight = Integer.parseInt(option(arguments, "--in-flight", Integer.toString(BURST_IN_FLIGHT)));
        String name = (burstOnly ? "burst only" : "full") + (burst == 50_000 ? "" : ", burst cut to " + burst)
                + (inFlight == BURST_IN_FLIGHT ? "" : ", " + inFlight + " requests in flight");
        int warmUpRounds = Integer.parseInt(option(arguments, "--warm-up-rounds", "25"));
        return new Settings(name, output, Duration.ofSeconds(30), 5_000, warmUpRounds, List.of(50, 200, 500, 1_000),
                Duration.ofSeconds(10), 4, Duration.ofMinutes(5), Duration.ofSeconds(20), burst, 10_000, 500, 200,
                burstOnly, inFlight);
    }

    boolean quick() {
        return name.equals("quick");
    }

    private static String option(List<String> arguments, String name, String otherwise) {
        int at = arguments.indexOf(name);
        return at >= 0 && at + 1 < arguments.size() ? arguments.get(at + 1) : otherwise;
    }
}
