package io.signuppipeline.bench;

import static io.signuppipeline.bench.Benchmark.catchUp;
import static io.signuppipeline.bench.Benchmark.say;

import java.nio.file.Path;
import java.util.List;

/**
 * A burst with the email worker restarted under a rate limit, and the rate it then drained its queue
 * at: whether the limit holds steady while the other workers share the cores.
 *
 * @param burst the burst, sampled every second
 * @param drain the email worker's rate over the seconds its queue held a backlog
 */
record LimitedBurst(Burst.Result burst, DrainRate drain) {

    static LimitedBurst measure(BenchPipeline pipeline, Settings settings, List<String> notes, String run) {
        say("Restarting the email worker limited to %d messages/s", settings.emailMaxRate());
        pipeline.restart("email-worker", List.of("--messaging.worker.max-rate=" + settings.emailMaxRate()));
        say("Burst of %,d signups with the email worker limited", settings.limitedBurst());
        Burst.Result burst = Burst.run(pipeline, run + "-limited", settings.limitedBurst(), settings.inFlight(),
                Benchmark.BURST_LIMIT, "email");
        DrainRate drain = DrainRate.of(burst.samplesSinceRelease(), "email-worker", "email");
        if (drain.seconds() == 0) {
            say("Limited burst: the email queue never held a backlog for a whole second, no rate to measure");
        } else {
            say("Limited burst: email drained at %.1f/s (sd %.1f)", drain.mean(), drain.standardDeviation());
        }
        catchUp(pipeline, settings, notes, "after the limited burst");
        return new LimitedBurst(burst, drain);
    }

    /** Its section of the report, 4b, and the section's two charts. */
    void report(Report report, Settings settings, PgBench.Result pgbench) {
        Path output = settings.output();
        Charts.overTime("Messages waiting per worker queue, email limited to " + settings.emailMaxRate() + "/s",
                "messages ready", burst.samples(), Burst.Sample::ready, output.resolve("limited-queues.png"));
        Charts.series("The email worker's rate, limited to " + settings.emailMaxRate() + "/s", "messages per second",
                "email-worker", drain.secondsAxis(), drain.perSecond(), output.resolve("limited-email-rate.png"));
        report.bursts().burst("4b. A burst of " + Markdown.number(settings.limitedBurst())
                + " signups, email limited to " + settings.emailMaxRate() + "/s", burst, pgbench,
                List.of("limited-queues.png"));
        report.bursts().drain(drain, settings.emailMaxRate(), "limited-email-rate.png");
    }
}
