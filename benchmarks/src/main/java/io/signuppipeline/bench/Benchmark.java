package io.signuppipeline.bench;

import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
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
    static final Duration BURST_LIMIT = Duration.ofMinutes(60);
    private static final int API_WARM_UP_RATE = 200;

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

            WarmUp.run(pipeline, settings, notes, run);
            WarmUp.awaitCompilersQuiet(pipeline, notes);
            if (settings.burstOnly()) {
                MeasuredBurst burst = MeasuredBurst.measure(pipeline, settings, notes, run);
                report.bursts().burst("4. A burst of " + Markdown.number(settings.burst()) + " signups",
                        burst.burst(), null, List.of("burst-queues.png", "burst-processed.png"));
                burst.report(report.bursts(), settings.output());
            } else {
                measureEverything(pipeline, settings, notes, run, report);
            }
            notes.add("The SMTP server received %s welcome emails over the whole run.".formatted(
                    Markdown.number(pipeline.emailsReceived())));
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
        ApiRates.measure(pipeline, settings, notes, run + "-warmapi", API_WARM_UP_RATE, settings.warmUp());

        List<OpenLoad.Result> table = new ArrayList<>();
        for (int rate : settings.latencyRates()) {
            table.add(ApiRates.measure(pipeline, settings, notes, run + "-open" + rate, rate));
        }
        // pgbench with as many clients as the API has connections, as the API runs it.
        int clients = pipeline.connectionPools().api();
        Map<Integer, long[]> database = new LinkedHashMap<>();
        for (int rate : settings.latencyRates()) {
            say("pgbench at %d transactions/s for %d s", rate, settings.latencyStep().toSeconds());
            database.put(rate, PgBench.latencyAt(pipeline.run().postgres(), clients, rate, settings.latencyStep()));
        }
        List<OpenLoad.Result> search = ApiRates.searchMaximum(pipeline, settings, notes, run, table);
        int sustained = ApiRates.bestSustained(table, search);
        say("Maximum sustained rate: %d signups/s", sustained);

        say("pgbench for %d s", settings.machineLimit().toSeconds());
        PgBench.Result pgbench = PgBench.run(pipeline.run().postgres(), clients, settings.machineLimit());
        say("pgbench: %.0f transactions/s", pgbench.transactionsPerSecond());
        say("PerfTest for %d s", settings.machineLimit().toSeconds());
        PerfTestRun.Result perfTest = PerfTestRun.run(pipeline.run().rabbitMq(), settings.machineLimit());
        say("PerfTest: %.0f published/s, %.0f delivered/s", perfTest.publishedPerSecond(),
                perfTest.deliveredPerSecond());

        MeasuredBurst measured = MeasuredBurst.measure(pipeline, settings, notes, run);
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
        say("Sync against async: answer p50 %.1f ms, four steps p50 %.0f ms", Markdown.pct(sync.apiMillis(), 50),
                Markdown.pct(sync.stepSumMillis(), 50));
        notes.add("Largest tables at the end: " + String.join(", ", pipeline.ledger().tableSizes()) + ".");

        Path output = settings.output();
        Charts.latency(table, output.resolve("latency.png"));
        Charts.overTime("Messages waiting per worker queue, email limited to " + settings.emailMaxRate() + "/s",
                "messages ready", limited.samples(), Burst.Sample::ready, output.resolve("limited-queues.png"));
        Charts.series("The email worker's rate, limited to " + settings.emailMaxRate() + "/s", "messages per second",
                "email-worker", drain.secondsAxis(), drain.perSecond(), output.resolve("limited-email-rate.png"));

        double pipelineDeliveries = measured.cost().broker().getOrDefault("deliver_get", 0.0) * burst.created()
                / burst.recordedSeconds();
        OpenLoad.Result at200 = table.stream().filter(result -> result.rate() == 200).findFirst().orElse(null);
        report.headline(Headline.rows(measured, pgbench, sustained, at200, drain, settings, sync));
        report.latency(table, database, clients, "latency.png");
        report.maximumRate(search, sustained);
        report.machineLimits(pgbench, perfTest, sustained, pipelineDeliveries);
        report.bursts().burst("4. A burst of " + Markdown.number(settings.burst()) + " signups", burst, pgbench,
                List.of("burst-queues.png", "burst-processed.png"));
        measured.report(report.bursts(), output);
        report.bursts().burst("4b. A burst of " + Markdown.number(settings.limitedBurst())
                + " signups, email limited to " + settings.emailMaxRate() + "/s", limited, pgbench,
                List.of("limited-queues.png"));
        report.bursts().drain(drain, settings.emailMaxRate(), "limited-email-rate.png");
        report.syncVersusAsync(sync);
        report.bursts().resources(burst.samples(), "burst-cpu.png");
    }

    static void catchUp(BenchPipeline pipeline, Settings settings, List<String> notes, String when) {
        long started = System.nanoTime();
        if (!PipelineWaits.settled(pipeline.ledger(), pipeline.queues(), settings.drainLimit())) {
            notes.add("The workers had not caught up " + when + " within " + settings.drainLimit().toSeconds()
                    + " s; the next measurement began with a backlog.");
            say("Workers still behind %s", when);
        } else {
            say("Workers caught up %s in %.1f s", when, (System.nanoTime() - started) / 1e9);
        }
    }

    static void say(String format, Object... arguments) {
        System.out.printf(Locale.ROOT, "[bench +%6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9,
                String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }
}
