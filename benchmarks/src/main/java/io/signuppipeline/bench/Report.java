package io.signuppipeline.bench;

import static io.signuppipeline.bench.Markdown.decimal;
import static io.signuppipeline.bench.Markdown.number;
import static io.signuppipeline.bench.Markdown.pct;
import static io.signuppipeline.bench.Markdown.ratio;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The run's figures as one Markdown file, with the charts beside it. */
final class Report {

    private final Settings settings;
    private final Markdown md = new Markdown();
    private final BurstReport bursts = new BurstReport(md);

    Report(Settings settings, String machine) {
        this.settings = settings;
        md.line("# Benchmark report (%s run)", settings.name());
        md.line("");
        md.line("%s", machine);
        md.line("");
        if (settings.quick()) {
            md.line("A quick run checks that every measurement works; its figures are too short to quote.");
            md.line("");
        }
    }

    /** The sections on a burst, written into this report where they are called. */
    BurstReport bursts() {
        return bursts;
    }

    void headline(List<String[]> rows) {
        md.line("## Headline");
        md.line("");
        md.table(List.of("claim", "the lesson", "target here", "measured", "met"), rows);
    }

    void latency(List<OpenLoad.Result> results, Map<Integer, long[]> database, int databaseClients, String chart) {
        md.line("## 1. API latency under a constant arrival rate");
        md.line("");
        md.line("After a warm-up (bursts of signups through the whole pipeline until the JIT compilers are nearly "
                + "idle during one, then the API alone at 200/s), an open "
                + "load: each rate held for %d s, signups sent on a fixed schedule whatever the API does, latency "
                + "counted from each request's intended send time (no coordinated omission). While a rate is measured "
                + "the four workers are frozen (SIGSTOP) and their queues absorb the events, as when the workers run "
                + "on other machines: on two shared cores, workers draining at full speed take the CPU the API "
                + "needs (the burst below measures everything at once). After each rate its events are purged from "
                + "the worker queues (no measurement needs them processed), the workers resume, and the run waits "
                + "until every queue is empty and the workers are idle.", settings.latencyStep().toSeconds());
        md.line("");
        md.table(List.of("signups/s", "sent", "201", "errors", "achieved/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms",
                "max ms", "database alone: p50 / p99 ms"), results.stream().map(result -> new String[] {
                    number(result.rate()), number(result.sent()), number(result.created()), number(result.errors()),
                    decimal(result.achievedRate()), decimal(result.percentileMillis(50)),
                    decimal(result.percentileMillis(90)), decimal(result.percentileMillis(99)),
                    decimal(result.percentileMillis(99.9)), decimal(result.maxMillis()),
                    floor(database.get(result.rate()))}).toList());
        md.line("*Database alone*: pgbench running the same transaction (the user row and the outbox row) at the same "
                + "rate with %d clients, its latency counted from each transaction's scheduled start as the API's is: "
                + "what PostgreSQL's commits on this machine's disk cost before any of the API's work.", databaseClients);
        md.line("");
        md.image(chart, "API latency percentiles by arrival rate");
    }

    void maximumRate(List<OpenLoad.Result> tried, int sustained) {
        md.line("## 2. Maximum sustainable signup rate");
        md.line("");
        md.line("The highest arrival rate held with no error, the schedule kept and p99 under %d ms. Rates tried "
                + "beyond the table (%d s each):", Settings.SUSTAINED_P99.toMillis(), settings.latencyStep().toSeconds());
        md.line("");
        md.table(List.of("signups/s", "p99 ms", "errors", "achieved/s", "sustained"), tried.stream()
                .map(result -> new String[] {number(result.rate()), decimal(result.percentileMillis(99)),
                        number(result.errors()), decimal(result.achievedRate()), result.sustained() ? "yes" : "no"})
                .toList());
        md.line("**Maximum sustained: %s signups/s.**", number(sustained));
        md.line("");
    }

    void machineLimits(PgBench.Result pgbench, PerfTestRun.Result perfTest, int sustained, double pipelineDeliveries) {
        md.line("## 3. This machine's limits, measured in the same run");
        md.line("");
        md.line("- pgbench, the API's two inserts (user row, outbox row) in one transaction, %d clients, %d s: "
                + "**%s transactions/s**.", pgbench.clients(), pgbench.seconds(), decimal(pgbench.transactionsPerSecond()));
        md.line("- RabbitMQ PerfTest, persistent messages with publisher confirms to four quorum queues, one producer "
                + "and one consumer each, %d s: **%s published/s, %s delivered/s**.", settings.machineLimit().toSeconds(),
                decimal(perfTest.publishedPerSecond()), decimal(perfTest.deliveredPerSecond()));
        md.line("");
        md.table(List.of("ratio", "value"), List.of(
                new String[] {"API maximum sustained rate / pgbench transactions per second",
                        ratio(sustained / pgbench.transactionsPerSecond())},
                new String[] {"pipeline deliveries per second in the burst (every event and result, as the broker "
                        + "counted them) / PerfTest deliveries per second",
                        ratio(pipelineDeliveries / perfTest.deliveredPerSecond())}));
    }

    void syncVersusAsync(SyncVersusAsync.Result result) {
        md.line("## 5. Synchronous against asynchronous");
        md.line("");
        md.line("%d signups at %d/s with the mocks at the lesson's latencies (fraud 200-500 ms, Stripe 150-400 ms, "
                + "Slack 100-300 ms; the SMTP server is local and adds none). A synchronous API would answer after the "
                + "four calls: the sum of each signup's four step durations, as the workers measured them.",
                result.signups(), Settings.SYNC_RATE);
        md.line("");
        md.table(List.of("", "p50 ms", "p90 ms", "p99 ms"), List.of(
                new String[] {"this API's answer (asynchronous)", decimal(pct(result.apiMillis(), 50)),
                        decimal(pct(result.apiMillis(), 90)), decimal(pct(result.apiMillis(), 99))},
                new String[] {"sum of the four steps (what a synchronous API would take)",
                        decimal(pct(result.stepSumMillis(), 50)), decimal(pct(result.stepSumMillis(), 90)),
                        decimal(pct(result.stepSumMillis(), 99))},
                new String[] {"per signup: steps sum / answer time", ratio(pct(result.ratios(), 50)),
                        ratio(pct(result.ratios(), 90)), ratio(pct(result.ratios(), 99))}));
    }

    void notes(List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        md.line("## Notes from the run");
        md.line("");
        notes.forEach(note -> md.line("- %s", note));
        md.line("");
    }

    private static String floor(long[] sortedMicros) {
        if (sortedMicros == null || sortedMicros.length == 0) {
            return "-";
        }
        return decimal(sortedMicros[(int) Math.min(sortedMicros.length - 1, sortedMicros.length * 0.5)] / 1_000.0)
                + " / " + decimal(sortedMicros[(int) Math.min(sortedMicros.length - 1, sortedMicros.length * 0.99)]
                / 1_000.0);
    }

    void write(Path file) {
        md.write(file);
    }
}
