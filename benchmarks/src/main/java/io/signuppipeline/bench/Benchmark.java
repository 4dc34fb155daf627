package io.signuppipeline.bench;

import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            // Read once: the report's first paragraph gives them, and pgbench runs with as many clients as the API's.
            ConnectionPools pools = pipeline.connectionPools();
            Report report = new Report(settings, Machine.describe(pipeline, pools));
            say("Pipeline up: %s", pipeline.services().values());

            WarmUp.run(pipeline, settings, notes, run);
            WarmUp.awaitCompilersQuiet(pipeline, notes);
            if (settings.burstOnly()) {
                MeasuredBurst burst = MeasuredBurst.measure(pipeline, settings, notes, run);
                report.bursts().burst("4. A burst of " + Markdown.number(settings.burst()) + " signups",
                        burst.burst(), null, List.of("burst-queues.png", "burst-processed.png"));
                burst.report(report.bursts(), settings.output());
            } else {
                measureEverything(pipeline, settings, notes, run, report, pools.api());
            }
            notes.add("The SMTP server received %s welcome emails over the whole run.".formatted(
                    Markdown.number(pipeline.emailsReceived())));
            report.notes(notes);
            report.write(settings.output().resolve("report.md"));
        }
        say("Report written to %s", settings.output().resolve("report.md").toAbsolutePath());
    }

    private static void measureEverything(BenchPipeline pipeline, Settings settings, List<String> notes, String run,
            Report report, int apiConnections) {
        ApiRates.Measured api = ApiRates.measureAll(pipeline, settings, notes, run, apiConnections);
        say("pgbench for %d s", settings.machineLimit().toSeconds());
        PgBench.Result pgbench = PgBench.run(pipeline.run().postgres(), api.databaseClients(), settings.machineLimit());
        say("pgbench: %.0f transactions/s", pgbench.transactionsPerSecond());
        say("PerfTest for %d s", settings.machineLimit().toSeconds());
        PerfTestRun.Result perfTest = PerfTestRun.run(pipeline.run().rabbitMq(), settings.machineLimit());
        say("PerfTest: %.0f published/s, %.0f delivered/s", perfTest.publishedPerSecond(),
                perfTest.deliveredPerSecond());
        MeasuredBurst measured = MeasuredBurst.measure(pipeline, settings, notes, run);
        LimitedBurst limited = LimitedBurst.measure(pipeline, settings, notes, run);
        SyncVersusAsync.Result sync = syncVersusAsync(pipeline, settings, run);
        notes.add("Largest tables at the end: " + String.join(", ", pipeline.ledger().tableSizes()) + ".");

        Burst.Result burst = measured.burst();
        double pipelineDeliveries = measured.cost().broker().getOrDefault("deliver_get", 0.0) * burst.created()
                / burst.recordedSeconds();
        Charts.latency(api.table(), settings.output().resolve("latency.png"));
        report.headline(Headline.rows(measured, pgbench, api.sustained(), api.at(200), limited.drain(), settings,
                sync));
        report.latency(api.table(), api.database(), api.databaseClients(), "latency.png");
        report.maximumRate(api.search(), api.sustained());
        report.machineLimits(pgbench, perfTest, api.sustained(), pipelineDeliveries);
        report.bursts().burst("4. A burst of " + Markdown.number(settings.burst()) + " signups", burst, pgbench,
                List.of("burst-queues.png", "burst-processed.png"));
        measured.report(report.bursts(), settings.output());
        limited.report(report, settings, pgbench);
        report.syncVersusAsync(sync);
        report.bursts().resources(burst.samples(), "burst-cpu.png");
    }

    /** A few signups at a gentle rate with the mocks at the lesson's latencies, which they keep from then on. */
    private static SyncVersusAsync.Result syncVersusAsync(BenchPipeline pipeline, Settings settings, String run) {
        pipeline.useLessonLatency();
        say("Sync against async: %d signups at %d/s with the lesson's latencies", settings.syncSignups(),
                Settings.SYNC_RATE);
        SyncVersusAsync.Result sync = SyncVersusAsync.run(pipeline, run + "-sync", settings.syncSignups(),
                settings.drainLimit());
        say("Sync against async: answer p50 %.1f ms, four steps p50 %.0f ms", Markdown.pct(sync.apiMillis(), 50),
                Markdown.pct(sync.stepSumMillis(), 50));
        return sync;
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
