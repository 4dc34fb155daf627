package io.signuppipeline.bench;

import static io.signuppipeline.bench.Benchmark.BURST_LIMIT;
import static io.signuppipeline.bench.Benchmark.catchUp;
import static io.signuppipeline.bench.Benchmark.say;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** Brings the services to the state a service that has run for a while is in, before anything is measured. */
final class WarmUp {

    private static final Duration COMPILERS_QUIET_LIMIT = Duration.ofMinutes(3);
    /** The JIT compilers' share of the services' CPU during a warm-up burst under which they count as warm. */
    private static final double WARM_JIT_SHARE = 0.05;

    private WarmUp() {
    }

    /**
     * Bursts through the whole pipeline until the services have compiled what a burst runs: until the
     * JIT compilers take under {@link #WARM_JIT_SHARE} of the services' CPU during one, at most
     * {@link Settings#warmUpRounds()} of them. The compilers take long to settle: each JVM has one C2
     * thread, and a method called once per batch or per second becomes hot only after thousands of
     * batches. On two cores they took about 40% of the services' CPU through the first six bursts and
     * under 5% from about the fourteenth on. Stopped at six, the workers were still compiling through
     * the measured burst, a third of their CPU, which a service that has run for a while no longer
     * spends. A profiler records throughout, so that its own code is compiled too.
     */
    static void run(BenchPipeline pipeline, Settings settings, List<String> notes, String run) {
        Profiles recorder = Profiles.start(pipeline.services(), null);
        double jitShare = 1;
        int round = 0;
        while (round < settings.warmUpRounds() && jitShare >= WARM_JIT_SHARE) {
            round++;
            double compilingBefore = compilingSeconds(pipeline);
            double cpuBefore = servicesCpuSeconds(pipeline);
            Burst.run(pipeline, run + "-warm" + round, settings.warmUpBurst(), settings.inFlight(), BURST_LIMIT);
            catchUp(pipeline, settings, notes, "after warm-up burst " + round);
            jitShare = (compilingSeconds(pipeline) - compilingBefore)
                    / Math.max(1e-9, servicesCpuSeconds(pipeline) - cpuBefore);
            say("Warm-up burst %d of %,d signups: the JIT compilers took %.0f%% of the services' CPU", round,
                    settings.warmUpBurst(), jitShare * 100);
        }
        recorder.discard();
        notes.add("Warm-up: %d burst(s) of %s signups through the whole pipeline, until the JIT compilers took "
                .formatted(round, Markdown.number(settings.warmUpBurst()))
                + "under %.0f%% of the services' CPU during one (at most %d); during the last they took %.0f%%."
                        .formatted(WARM_JIT_SHARE * 100, settings.warmUpRounds(), jitShare * 100));
    }

    private static double servicesCpuSeconds(BenchPipeline pipeline) {
        return pipeline.services().values().stream().mapToDouble(service -> ProcessStats.of(service.pid(), false)
                .cpuSeconds()).sum();
    }

    /**
     * Waits until the services' JIT compilers have caught up with the warm-up: the workers run at a
     * lower priority, and their compilers with them, so compilations queued during the warm-up would
     * otherwise go on during the measurement.
     */
    static void awaitCompilersQuiet(BenchPipeline pipeline, List<String> notes) {
        long started = System.nanoTime();
        double before = compilingSeconds(pipeline);
        while (System.nanoTime() - started < COMPILERS_QUIET_LIMIT.toNanos()) {
            LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
            double now = compilingSeconds(pipeline);
            if (now - before < 0.1) {
                break;
            }
            before = now;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        say("JIT compilers quiet after %.0f s", seconds);
        notes.add("After the warm-up the services' JIT compilers needed %.0f s more to go quiet (under 0.1 s of CPU "
                .formatted(seconds) + "in 3 s); the measurements began then.");
    }

    private static double compilingSeconds(BenchPipeline pipeline) {
        return pipeline.services().values().stream().mapToDouble(service -> JvmThreads.of(service.pid())
                .compilingSeconds()).sum();
    }
}
