package io.signuppipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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

    private Benchmark() {
    }

    public static void main(String[] arguments) {
        System.setProperty("java.awt.headless", "true");
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

            say("Warm-up: %d signups/s for %d s", settings.warmUpRate(), settings.warmUp().toSeconds());
            OpenLoad.run(pipeline.client(), run + "-warm", settings.warmUpRate(), settings.warmUp());
            catchUp(pipeline, settings, notes, "after the warm-up");
            // The workers' warm-up above is slow by nature; the API's own hot path gets one at the top rate
            // it is measured at, with the workers frozen as in the measurement.
            say("API warm-up: %d signups/s for %d s, workers frozen", API_WARM_UP_RATE, settings.warmUp().toSeconds() / 2);
            measure(pipeline, settings, notes, run + "-warmapi", API_WARM_UP_RATE, settings.warmUp().dividedBy(2));

            List<OpenLoad.Result> table = new ArrayList<>();
            for (int rate : settings.latencyRates()) {
                table.add(measure(pipeline, settings, notes, run + "-open" + rate, rate));
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

            pipeline.forgetEmails();
            say("Burst of %,d signups", settings.burst());
            Burst.Result burst = Burst.run(pipeline, run + "-burst", settings.burst(), BURST_LIMIT);
            say("Burst: accepted in %.1f s, fully processed after %.1f s", burst.acceptedSeconds(),
                    burst.fullyProcessedSeconds());
            catchUp(pipeline, settings, notes, "after the burst");

            pipeline.forgetEmails();
            say("Restarting the email worker limited to %d messages/s", settings.emailMaxRate());
            pipeline.restart("email-worker", List.of("--messaging.worker.max-rate=" + settings.emailMaxRate()));
            say("Burst of %,d signups with the email worker limited", settings.limitedBurst());
            Burst.Result limited = Burst.run(pipeline, run + "-limited", settings.limitedBurst(), BURST_LIMIT);
            DrainRate drain = DrainRate.of(limited.samples(), "email-worker", "email");
            say("Limited burst: email drained at %.1f/s (sd %.1f)", drain.mean(), drain.standardDeviation());
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
            Charts.overTime("Messages waiting per worker queue during the burst", "messages ready",
                    burst.samples(), Burst.Sample::ready, output.resolve("burst-queues.png"));
            Charts.overTime("Signups processed per step during the burst", "signups processed", burst.samples(),
                    Burst.Sample::processed, output.resolve("burst-processed.png"));
            Charts.overTime("Messages waiting per worker queue, email limited to " + settings.emailMaxRate() + "/s",
                    "messages ready", limited.samples(), Burst.Sample::ready, output.resolve("limited-queues.png"));
            Charts.series("The email worker's rate, limited to " + settings.emailMaxRate() + "/s", "messages per second",
                    "email-worker", drainSeconds(drain), drain.perSecond(), output.resolve("limited-email-rate.png"));
            Charts.overTime("CPU per process during the burst", "% of one core", burst.samples(),
                    Burst.Sample::cpuPercent, output.resolve("burst-cpu.png"));

            double pipelineDeliveries = 4.0 * burst.created() / burst.fullyProcessedSeconds();
            OpenLoad.Result at200 = table.stream().filter(result -> result.rate() == 200).findFirst().orElse(null);
            report.headline(headline(burst, pgbench, sustained, at200, drain, settings, sync));
            report.latency(table, "latency.png");
            report.maximumRate(search, sustained);
            report.machineLimits(pgbench, perfTest, sustained, pipelineDeliveries);
            report.burst("4. A burst of " + Report.number(settings.burst()) + " signups", burst, pgbench,
                    List.of("burst-queues.png", "burst-processed.png"));
            report.burst("4b. A burst of " + Report.number(settings.limitedBurst()) + " signups, email limited to "
                    + settings.emailMaxRate() + "/s", limited, pgbench, List.of("limited-queues.png"));
            report.drain(drain, settings.emailMaxRate(), "limited-email-rate.png");
            report.syncVersusAsync(sync);
            report.resources(burst.samples(), "burst-cpu.png");
            report.notes(notes);
            report.write(output.resolve("report.md"));
        }
        say("Report written to %s", settings.output().resolve("report.md").toAbsolutePath());
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
        int held = bestSustained(table, List.of());
        int failed = table.stream().filter(result -> !result.sustained()).mapToInt(OpenLoad.Result::rate).min()
                .orElse(Integer.MAX_VALUE);
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

    private static double[] drainSeconds(DrainRate drain) {
        double[] seconds = new double[drain.seconds()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = i + 1;
        }
        return seconds;
    }

    private static List<String[]> headline(Burst.Result burst, PgBench.Result pgbench, int sustained,
            OpenLoad.Result at200, DrainRate drain, Settings settings, SyncVersusAsync.Result sync) {
        double pgbenchTime = pgbench.secondsFor(burst.created());
        double p99at200 = at200 == null ? Double.NaN : at200.percentileMillis(99);
        return List.of(
                row("the user waits for the database row only", "~8 ms answer, ~1,200 ms synchronous", "-",
                        "p50 %s ms answer against %s ms for the four calls in a row".formatted(
                                Report.decimal(Report.pct(sync.apiMillis(), 50)),
                                Report.decimal(Report.pct(sync.stepSumMillis(), 50))),
                        null),
                row("API p99 at 200 signups/s", "-", "under 25 ms", Report.decimal(p99at200) + " ms", p99at200 < 25),
                row("maximum sustained rate (p99 under 50 ms)", "-", "at least half of pgbench ("
                        + Report.decimal(pgbench.transactionsPerSecond() / 2) + "/s)",
                        Report.number(sustained) + "/s, " + Report.ratio(sustained / pgbench.transactionsPerSecond())
                                + " of pgbench", sustained >= pgbench.transactionsPerSecond() / 2),
                row("a burst of " + Report.number(settings.burst()) + " signups is absorbed",
                        "50,000 enqueued in a burst", "fully processed in under twice pgbench's time ("
                                + Report.decimal(2 * pgbenchTime) + " s)",
                        Report.decimal(burst.fullyProcessedSeconds()) + " s, " + Report.ratio(
                                burst.fullyProcessedSeconds() / pgbenchTime) + " times pgbench's",
                        burst.fullyProcessedSeconds() < 2 * pgbenchTime),
                row("email drained at a steady rate", "500/s", settings.emailMaxRate() + "/s, steady",
                        "%s/s mean, coefficient of variation %s".formatted(Report.decimal(drain.mean()),
                                Report.ratio(drain.variation())),
                        Math.abs(drain.mean() - settings.emailMaxRate()) <= settings.emailMaxRate() * 0.05));
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
