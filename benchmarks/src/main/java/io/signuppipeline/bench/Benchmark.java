package io.signuppipeline.bench;

import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.eclipse.angus.mail.util.MailStreamProvider;

/**
 * Measures the signup pipeline on this machine, everything on it at once, and writes
 * {@code report.md} with its charts: API latency under an open load, the maximum sustained rate,
 * pgbench and PerfTest beside them, a burst with and without a limit on the email worker, the
 * synchronous design's wait against this one's, and each process's CPU and memory.
 *
 * <p>Run it with {@code scripts/bench.sh} ({@code --quick} for the smoke run).
 */
public final class Benchmark {

    private static final long STARTED = System.nanoTime();
    private static final Duration BURST_LIMIT = Duration.ofMinutes(60);
    private static final int API_WARM_UP_RATE = 200;
    private static final Duration COMPILERS_QUIET_LIMIT = Duration.ofMinutes(3);
    /** The JIT compilers' share of the services' CPU during a warm-up burst under which they count as warm. */
    private static final double WARM_JIT_SHARE = 0.05;

    private Benchmark() {
    }

    public static void main(String[] arguments) {
        System.setProperty("java.awt.headless", "true");
        // As the email worker does: GreenMail's parsing of each email would otherwise scan the class
        // path for Jakarta Mail's stream provider, for every part of every message (14% of this JVM's CPU).
        System.setProperty(StreamProvider.class.getName(), MailStreamProvider.class.getName());
        int status = 1;
        try {
            run(Settings.of(List.of(arguments)));
            status = 0;
        } catch (IOException | RuntimeException e) {
            say("Benchmark failed: %s", e);
            e.printStackTrace();
        } finally {
            // The mocks and the SMTP server keep threads alive; the run's database and vhost go with
            // the JVM's shutdown hook.
            System.exit(status);
        }
    }

    private static void run(Settings settings) throws IOException {
        Files.createDirectories(settings.output());
        String run = "b" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
        List<String> notes = new ArrayList<>();
        say("Benchmark, %s run, report to %s", settings.name(), settings.output().toAbsolutePath());
        try (BenchPipeline pipeline = BenchPipeline.start()) {
            Report report = new Report(settings, Machine.describe(pipeline));
            say("Pipeline up: %s", pipeline.services().values());

            warmUp(pipeline, settings, notes, run);
            awaitCompilersQuiet(pipeline, notes);
            if (settings.burstOnly()) {
                MeasuredBurst burst = burst(pipeline, settings, notes, run);
                report.burst("4. A burst of " + Report.number(settings.burst()) + " signups", burst.burst(), null,
                        List.of("burst-queues.png", "burst-processed.png"));
                reportBurst(report, burst, settings.output());
            } else {
                measureEverything(pipeline, settings, notes, run, report);
            }
            notes.add("The SMTP server received %s welcome emails over the whole run.".formatted(
                    Report.number(pipeline.emailsReceived())));
            report.notes(notes);
            report.write(settings.output().resolve("report.md"));
        }
        say("Report written to %s", settings.output().resolve("report.md").toAbsolutePath());
    }

    private static void measureEverything(BenchPipeline pipeline, Settings settings, List<String> notes, String run,
            Report report) {
        // The API's own hot path gets a warm-up at the rate it is measured at, with the workers frozen as in
        // the measurement.
        say("API warm-up: %d signups/s for %d s, workers frozen", API_WARM_UP_RATE, settings.warmUp().toSeconds());
        measure(pipeline, settings, notes, run + "-warmapi", API_WARM_UP_RATE, settings.warmUp());

        List<OpenLoad.Result> table = new ArrayList<>();
        for (int rate : settings.latencyRates()) {
            table.add(measure(pipeline, settings, notes, run + "-open" + rate, rate));
        }
        Map<Integer, long[]> database = new LinkedHashMap<>();
        for (int rate : settings.latencyRates()) {
            say("pgbench at %d transactions/s for %d s", rate, settings.latencyStep().toSeconds());
            database.put(rate, PgBench.latencyAt(pipeline.run().postgres(), rate, settings.latencyStep()));
        }
        List<OpenLoad.Result> search = searchMaximum(pipeline, settings, notes, run, table);
        int sustained = bestSustained(table, search);
        say("Maximum sustained rate: %d signups/s", sustained);

        say("pgbench for %d s", settings.machineLimit().toSeconds());
        PgBench.Result pgbench = PgBench.run(pipeline.run().postgres(), settings.machineLimit());
        say("pgbench: %.0f transactions/s", pgbench.transactionsPerSecond());
        say("PerfTest for %d s", settings.machineLimit().toSeconds());
        PerfTestRun.Result perfTest = PerfTestRun.run(pipeline.run().rabbitMq(), settings.machineLimit());
        say("PerfTest: %.0f published/s, %.0f delivered/s", perfTest.publishedPerSecond(),
                perfTest.deliveredPerSecond());

        MeasuredBurst measured = burst(pipeline, settings, notes, run);
        Burst.Result burst = measured.burst();

        say("Restarting the email worker limited to %d messages/s", settings.emailMaxRate());
        pipeline.restart("email-worker", List.of("--messaging.worker.max-rate=" + settings.emailMaxRate()));
        say("Burst of %,d signups with the email worker limited", settings.limitedBurst());
        Burst.Result limited = Burst.run(pipeline, run + "-limited", settings.limitedBurst(), settings.inFlight(),
                BURST_LIMIT, "email");
        DrainRate drain = DrainRate.of(limited.samplesSinceRelease(), "email-worker", "email");
        if (drain.seconds() == 0) {
            say("Limited burst: the email queue never held a backlog for a whole second, no rate to measure");
        } else {
            say("Limited burst: email drained at %.1f/s (sd %.1f)", drain.mean(), drain.standardDeviation());
        }
        catchUp(pipeline, settings, notes, "after the limited burst");

        pipeline.useLessonLatency();
        say("Sync against async: %d signups at %d/s with the lesson's latencies", settings.syncSignups(),
                Settings.SYNC_RATE);
        SyncVersusAsync.Result sync = SyncVersusAsync.run(pipeline, run + "-sync", settings.syncSignups(),
                settings.drainLimit());
        say("Sync against async: answer p50 %.1f ms, four steps p50 %.0f ms", Report.pct(sync.apiMillis(), 50),
                Report.pct(sync.stepSumMillis(), 50));
        notes.add("Largest tables at the end: " + String.join(", ", pipeline.ledger().tableSizes()) + ".");

        Path output = settings.output();
        Charts.latency(table, output.resolve("latency.png"));
        Charts.overTime("Messages waiting per worker queue, email limited to " + settings.emailMaxRate() + "/s",
                "messages ready", limited.samples(), Burst.Sample::ready, output.resolve("limited-queues.png"));
        Charts.series("The email worker's rate, limited to " + settings.emailMaxRate() + "/s", "messages per second",
                "email-worker", drainSeconds(drain), drain.perSecond(), output.resolve("limited-email-rate.png"));

        double pipelineDeliveries = measured.cost().broker().getOrDefault("deliver_get", 0.0) * burst.created()
                / burst.recordedSeconds();
        OpenLoad.Result at200 = table.stream().filter(result -> result.rate() == 200).findFirst().orElse(null);
        report.headline(headline(measured, pgbench, sustained, at200, drain, settings, sync));
        report.latency(table, database, "latency.png");
        report.maximumRate(search, sustained);
        report.machineLimits(pgbench, perfTest, sustained, pipelineDeliveries);
        report.burst("4. A burst of " + Report.number(settings.burst()) + " signups", burst, pgbench,
                List.of("burst-queues.png", "burst-processed.png"));
        reportBurst(report, measured, output);
        report.burst("4b. A burst of " + Report.number(settings.limitedBurst()) + " signups, email limited to "
                + settings.emailMaxRate() + "/s", limited, pgbench, List.of("limited-queues.png"));
        report.drain(drain, settings.emailMaxRate(), "limited-email-rate.png");
        report.syncVersusAsync(sync);
        report.resources(burst.samples(), "burst-cpu.png");
    }

    private static MeasuredBurst burst(BenchPipeline pipeline, Settings settings, List<String> notes, String run) {
        say("Burst of %,d signups, every service profiled", settings.burst());
        MeasuredBurst measured = MeasuredBurst.run(pipeline, run + "-burst", settings.burst(), settings.inFlight(),
                BURST_LIMIT);
        Burst.Result burst = measured.burst();
        say("Burst: accepted in %.1f s (answers p50 %.1f ms, p99 %.1f ms, max %.1f ms), every step DONE after %.1f s "
                + "(%.0f signups/s); %.2f ms of CPU per signup", burst.acceptedSeconds(), burst.answerMillis(50),
                burst.answerMillis(99), burst.answerMillis(100), burst.recordedSeconds(),
                burst.created() / burst.recordedSeconds(), measured.cost().cpuMillisTotal());
        catchUp(pipeline, settings, notes, "after the burst");
        return measured;
    }

    /** The burst's charts, costs and profiles; the burst's own section comes before. */
    private static void reportBurst(Report report, MeasuredBurst measured, Path output) {
        Burst.Result burst = measured.burst();
        Charts.overTime("Messages waiting per worker queue during the burst", "messages ready", burst.samples(),
                Burst.Sample::ready, output.resolve("burst-queues.png"));
        Charts.overTime("Signups processed per step during the burst", "signups processed", burst.samples(),
                Burst.Sample::processed, output.resolve("burst-processed.png"));
        Charts.overTime("CPU per process during the burst", "% of one core", burst.samples(),
                Burst.Sample::cpuPercent, output.resolve("burst-cpu.png"));
        report.cost(measured.cost());
        report.profiles(measured.profiles());
    }

    private static OpenLoad.Result measure(BenchPipeline pipeline, Settings settings, List<String> notes, String cohort,
            int rate) {
        return measure(pipeline, settings, notes, cohort, rate, settings.latencyStep());
    }

    private static OpenLoad.Result measure(BenchPipeline pipeline, Settings settings, List<String> notes, String cohort,
            int rate, Duration duration) {
        OpenLoad.Result result;
        long purged;
        pipeline.pauseWorkers();
        try {
            result = OpenLoad.run(pipeline.client(), cohort, rate, duration);
            // The relay may still be publishing the last of them: purge once it has, then resume.
            pipeline.ledger().awaitOutboxPublished(settings.drainLimit());
            purged = pipeline.queues().purgeWorkerQueues();
        } finally {
            pipeline.resumeWorkers();
        }
        say("%5d signups/s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, errors %d, achieved %.0f/s", rate,
                result.percentileMillis(50), result.percentileMillis(99), result.percentileMillis(99.9),
                result.maxMillis(), result.errors(), result.achievedRate());
        say("Purged %,d events of this rate's signups from the worker queues", purged);
        catchUp(pipeline, settings, notes, "after " + rate + " signups/s");
        return result;
    }

    /**
     * Searches above the table for the highest rate sustained: up by a quarter while rates hold,
     * then halfway between the best that held and the lowest that did not, within the step budget.
     */
    private static List<OpenLoad.Result> searchMaximum(BenchPipeline pipeline, Settings settings, List<String> notes,
            String run, List<OpenLoad.Result> table) {
        List<OpenLoad.Result> tried = new ArrayList<>();
        int best = bestSustained(table, List.of());
        int held = best;
        // The lowest rate above the best that held which did not: a lower one missed by a stall of the disk
        // would otherwise end the search before it began.
        int failed = table.stream().filter(result -> !result.sustained() && result.rate() > best)
                .mapToInt(OpenLoad.Result::rate).min().orElse(Integer.MAX_VALUE);
        for (int step = 0; step < settings.maxRateSteps(); step++) {
            int next = failed == Integer.MAX_VALUE ? roundTo50(held * 1.25) : roundTo50((held + failed) / 2.0);
            if (next <= held || next >= failed) {
                break;
            }
            OpenLoad.Result result = measure(pipeline, settings, notes, run + "-max" + next, next);
            tried.add(result);
            if (result.sustained()) {
                held = next;
            } else {
                failed = next;
            }
        }
        return tried;
    }

    private static int bestSustained(List<OpenLoad.Result> table, List<OpenLoad.Result> search) {
        return Stream.concat(table.stream(), search.stream()).filter(OpenLoad.Result::sustained)
                .map(OpenLoad.Result::rate).max(Comparator.naturalOrder()).orElse(0);
    }

    private static int roundTo50(double rate) {
        return (int) Math.max(50, Math.round(rate / 50) * 50);
    }

    private static void catchUp(BenchPipeline pipeline, Settings settings, List<String> notes, String when) {
        long started = System.nanoTime();
        if (!pipeline.ledger().awaitSettled(pipeline.queues(), settings.drainLimit())) {
            notes.add("The workers had not caught up " + when + " within " + settings.drainLimit().toSeconds()
                    + " s; the next measurement began with a backlog.");
            say("Workers still behind %s", when);
        } else {
            say("Workers caught up %s in %.1f s", when, (System.nanoTime() - started) / 1e9);
        }
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
    private static void warmUp(BenchPipeline pipeline, Settings settings, List<String> notes, String run) {
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
                .formatted(round, Report.number(settings.warmUpBurst()))
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
    private static void awaitCompilersQuiet(BenchPipeline pipeline, List<String> notes) {
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

    private static double[] drainSeconds(DrainRate drain) {
        double[] seconds = new double[drain.seconds()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = i + 1;
        }
        return seconds;
    }

    private static List<String[]> headline(MeasuredBurst measured, PgBench.Result pgbench, int sustained,
            OpenLoad.Result at200, DrainRate drain, Settings settings, SyncVersusAsync.Result sync) {
        Burst.Result burst = measured.burst();
        double p99at200 = at200 == null ? Double.NaN : at200.percentileMillis(99);
        double burstRate = burst.created() / burst.recordedSeconds();
        double emailRate = settings.emailMaxRate();
        return List.of(
                row("the user waits for the database row only", "~8 ms answer, ~1,200 ms synchronous", "-",
                        "p50 %s ms answer against %s ms for the four calls in a row".formatted(
                                Report.decimal(Report.pct(sync.apiMillis(), 50)),
                                Report.decimal(Report.pct(sync.stepSumMillis(), 50))),
                        null),
                row("a burst of " + Report.number(settings.burst()) + " signups, every step DONE",
                        "levelled to 500/s", "at least 400 signups/s, first POST to last DONE",
                        "%s/s (%s s)".formatted(Report.decimal(burstRate), Report.decimal(burst.recordedSeconds())),
                        burstRate >= 400),
                row("the burst's POSTs, while the workers drain", "milliseconds",
                        "all 201, p99 at most 50 ms, none over 1 s",
                        "p99 %s ms, max %s ms, %s errors".formatted(Report.decimal(burst.answerMillis(99)),
                                Report.decimal(burst.answerMillis(100)), Report.number(burst.errors())),
                        burst.errors() == 0 && burst.answerMillis(99) <= 50 && burst.answersSlowerThan(1_000) == 0),
                row("API p99 at 200 signups/s, workers frozen", "-", "at most 10 ms", Report.decimal(p99at200) + " ms",
                        p99at200 <= 10),
                row("maximum sustained rate (p99 under 50 ms), workers frozen", "-", "at least half of pgbench ("
                        + Report.decimal(pgbench.transactionsPerSecond() / 2) + "/s)",
                        Report.number(sustained) + "/s, " + Report.ratio(sustained / pgbench.transactionsPerSecond())
                                + " of pgbench", sustained >= pgbench.transactionsPerSecond() / 2),
                row("email drained at a steady rate", "500/s", settings.emailMaxRate() + "/s, coefficient of "
                        + "variation at most 0.2", "%s/s mean, coefficient of variation %s".formatted(
                                Report.decimal(drain.mean()), Report.ratio(drain.variation())),
                        Math.abs(drain.mean() - emailRate) <= emailRate * 0.05 && drain.variation() <= 0.2),
                row("CPU per signup, every process on the machine", "-", "aim: 5 ms or less",
                        Report.ratio(measured.cost().cpuMillisTotal()) + " ms", measured.cost().cpuMillisTotal() <= 5));
    }

    private static String[] row(String claim, String lesson, String target, String measured, Boolean met) {
        return new String[] {claim, lesson, target, measured, met == null ? "-" : met ? "yes" : "no"};
    }

    static void say(String format, Object... arguments) {
        System.out.printf(Locale.ROOT, "[bench +%6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9,
                String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }
}
