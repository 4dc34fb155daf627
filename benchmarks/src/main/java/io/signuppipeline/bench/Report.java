package io.signuppipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;

/** The run's figures as one Markdown file, with the charts beside it. */
final class Report {

    private final Settings settings;
    private final StringBuilder text = new StringBuilder();

    Report(Settings settings, String machine) {
        this.settings = settings;
        line("# Benchmark report (%s run)", settings.name());
        line("");
        line("%s", machine);
        line("");
        if (settings.quick()) {
            line("A quick run checks that every measurement works; its figures are too short to quote.");
            line("");
        }
    }

    void headline(List<String[]> rows) {
        line("## Headline");
        line("");
        table(List.of("claim", "the lesson", "target here", "measured", "met"), rows);
    }

    void latency(List<OpenLoad.Result> results, Map<Integer, long[]> database, String chart) {
        line("## 1. API latency under a constant arrival rate");
        line("");
        line("After a warm-up (bursts of signups through the whole pipeline until the JIT compilers are nearly "
                + "idle during one, then the API alone at 200/s), an open "
                + "load: each rate held for %d s, signups sent on a fixed schedule whatever the API does, latency "
                + "counted from each request's intended send time (no coordinated omission). While a rate is measured "
                + "the four workers are frozen (SIGSTOP) and their queues absorb the events, as when the workers run "
                + "on other machines: on two shared cores, workers draining at full speed take the CPU the API "
                + "needs (the burst below measures everything at once). After each rate its events are purged from "
                + "the worker queues (no measurement needs them processed), the workers resume, and the run waits "
                + "until every queue is empty and the workers are idle.", settings.latencyStep().toSeconds());
        line("");
        table(List.of("signups/s", "sent", "201", "errors", "achieved/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms",
                "max ms", "database alone: p50 / p99 ms"), results.stream().map(result -> new String[] {
                    number(result.rate()), number(result.sent()), number(result.created()), number(result.errors()),
                    decimal(result.achievedRate()), decimal(result.percentileMillis(50)),
                    decimal(result.percentileMillis(90)), decimal(result.percentileMillis(99)),
                    decimal(result.percentileMillis(99.9)), decimal(result.maxMillis()),
                    floor(database.get(result.rate()))}).toList());
        line("*Database alone*: pgbench running the same transaction (the user row and the outbox row) at the same "
                + "rate with %d clients, its latency counted from each transaction's scheduled start as the API's is: "
                + "what PostgreSQL's commits on this machine's disk cost before any of the API's work.", PgBench.CLIENTS);
        line("");
        image(chart, "API latency percentiles by arrival rate");
    }

    void maximumRate(List<OpenLoad.Result> tried, int sustained) {
        line("## 2. Maximum sustainable signup rate");
        line("");
        line("The highest arrival rate held with no error, the schedule kept and p99 under %d ms. Rates tried "
                + "beyond the table (%d s each):", Settings.SUSTAINED_P99.toMillis(), settings.latencyStep().toSeconds());
        line("");
        table(List.of("signups/s", "p99 ms", "errors", "achieved/s", "sustained"), tried.stream()
                .map(result -> new String[] {number(result.rate()), decimal(result.percentileMillis(99)),
                        number(result.errors()), decimal(result.achievedRate()), result.sustained() ? "yes" : "no"})
                .toList());
        line("**Maximum sustained: %s signups/s.**", number(sustained));
        line("");
    }

    void machineLimits(PgBench.Result pgbench, PerfTestRun.Result perfTest, int sustained, double pipelineDeliveries) {
        line("## 3. This machine's limits, measured in the same run");
        line("");
        line("- pgbench, the API's two inserts (user row, outbox row) in one transaction, %d clients, %d s: "
                + "**%s transactions/s**.", pgbench.clients(), pgbench.seconds(), decimal(pgbench.transactionsPerSecond()));
        line("- RabbitMQ PerfTest, persistent messages with publisher confirms to four quorum queues, one producer "
                + "and one consumer each, %d s: **%s published/s, %s delivered/s**.", settings.machineLimit().toSeconds(),
                decimal(perfTest.publishedPerSecond()), decimal(perfTest.deliveredPerSecond()));
        line("");
        table(List.of("ratio", "value"), List.of(
                new String[] {"API maximum sustained rate / pgbench transactions per second",
                        ratio(sustained / pgbench.transactionsPerSecond())},
                new String[] {"pipeline deliveries per second in the burst (every event and result, as the broker "
                        + "counted them) / PerfTest deliveries per second",
                        ratio(pipelineDeliveries / perfTest.deliveredPerSecond())}));
    }

    void burst(String title, Burst.Result burst, PgBench.Result pgbench, List<String> charts) {
        line("## %s", title);
        line("");
        double intake = burst.created() / Math.max(burst.acceptedSeconds(), 1e-9);
        line("%s signups sent %d at a time; %s answered 201, %s errors. The API took them all in %s s (%s signups/s).",
                number(burst.signups()), burst.inFlight(), number(burst.created()), number(burst.errors()),
                decimal(burst.acceptedSeconds()), decimal(intake));
        line("");
        List<String[]> rows = new ArrayList<>();
        burst.processedSeconds().forEach((step, seconds) -> rows.add(new String[] {step, decimal(seconds),
                decimal(burst.created() / seconds)}));
        line("Each POST's answer time during the burst, the workers draining on the same cores: p50 %s ms, p99 %s ms, "
                + "p99.9 %s ms, maximum %s ms; %s took over a second.", decimal(burst.answerMillis(50)),
                decimal(burst.answerMillis(99)), decimal(burst.answerMillis(99.9)), decimal(burst.answerMillis(100)),
                number(burst.answersSlowerThan(1_000)));
        line("");
        table(List.of("worker's step", "all processed after s", "signups/s"), rows);
        double full = burst.fullyProcessedSeconds();
        line("Fully processed by all four workers after **%s s**; the API showed every step DONE for every signup "
                + "after **%s s**: %s signups/s from the first POST to the last DONE.%s", decimal(full),
                decimal(burst.recordedSeconds()), decimal(burst.created() / burst.recordedSeconds()),
                pgbench == null ? "" : " pgbench needs %s s for as many transactions.".formatted(
                        decimal(pgbench.secondsFor(burst.created()))));
        line("");
        charts.forEach(chart -> image(chart, title));
    }

    void cost(Costs.PerSignup cost) {
        line("## 4c. What one signup costs");
        line("");
        line("Counted over the burst of %s signups, from its first POST until the API showed every step DONE: "
                + "PostgreSQL's committed transactions in the run's database (`pg_stat_database.xact_commit`, the "
                + "benchmark's own progress queries included), the broker's message operations in the run's vhost "
                + "(management statistics) and each process's CPU time.", number(cost.signups()));
        line("");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PostgreSQL transactions", ratio(cost.transactions())});
        cost.broker().forEach((operation, count) -> rows.add(new String[] {"broker: messages "
                + Costs.BROKER_OPERATIONS.get(operation), ratio(count)}));
        rows.add(new String[] {"broker operations in all", ratio(cost.brokerOperations())});
        cost.cpuMillis().forEach((process, millis) -> {
            double[] jvm = cost.jvmMillis().get(process);
            rows.add(new String[] {"CPU ms: " + process, ratio(millis) + (jvm == null ? ""
                    : " (JIT %s, GC %s)".formatted(ratio(jvm[0]), ratio(jvm[1])))});
        });
        rows.add(new String[] {"**CPU ms in all**", "**" + ratio(cost.cpuMillisTotal()) + "**"});
        table(List.of("per signup", "value"), rows);
    }

    void profiles(Map<String, Profiles.Profile> profiles) {
        line("## 4d. Where each service spent its CPU during the burst");
        line("");
        line("JDK Flight Recorder in every service during the burst (default settings: a sample of each running "
                + "thread every 20 ms). *On top* is the method running when sampled (its own time); *ours* is the "
                + "project's method found anywhere on the stack (its time including what it calls). Shares are of the "
                + "service's samples.");
        line("");
        List<String[]> rows = new ArrayList<>();
        profiles.forEach((service, profile) -> {
            for (int i = 0; i < Math.max(profile.selfFrames().size(), profile.ownFrames().size()); i++) {
                rows.add(new String[] {i == 0 ? service + " (" + number(profile.samples()) + " samples)" : "",
                        frame(profile.selfFrames(), i), frame(profile.ownFrames(), i)});
            }
        });
        table(List.of("service", "on top", "ours"), rows);
    }

    private static String frame(List<Map.Entry<String, Double>> frames, int index) {
        if (index >= frames.size()) {
            return "";
        }
        String name = frames.get(index).getKey();
        int dot = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
        return "`" + name.substring(dot + 1) + "` " + decimal(frames.get(index).getValue()) + "%";
    }

    void drain(DrainRate rate, int limit, String chart) {
        if (rate.seconds() == 0) {
            line("The email worker, limited to %d messages/s, never had a backlog for a whole second: the burst was "
                    + "too small to measure its rate.", limit);
            line("");
            return;
        }
        line("The email worker was frozen (SIGSTOP) from the first signup until the other three workers had processed "
                + "every one, then let go with the whole burst in its queue, so that it drained with the cores free for "
                + "it. Limited to %d messages/s, it drained at a mean **%s/s** (standard deviation %s, coefficient of "
                + "variation %s; slowest second %s, fastest %s; %d whole seconds with a backlog).",
                limit, decimal(rate.mean()), decimal(rate.standardDeviation()), ratio(rate.variation()),
                decimal(rate.slowest()), decimal(rate.fastest()), rate.seconds());
        line("");
        line("CPU in those seconds, percent of one core (200 is both cores): %s.", String.join(", ",
                rate.cpuPercent().entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                        .map(entry -> entry.getKey() + " " + Math.round(entry.getValue())).toList()));
        line("");
        image(chart, "email worker messages per second");
    }

    void syncVersusAsync(SyncVersusAsync.Result result) {
        line("## 5. Synchronous against asynchronous");
        line("");
        line("%d signups at %d/s with the mocks at the lesson's latencies (fraud 200-500 ms, Stripe 150-400 ms, Slack "
                + "100-300 ms; the SMTP server is local and adds none). A synchronous API would answer after the "
                + "four calls: the sum of each signup's four step durations, as the workers measured them.",
                result.signups(), Settings.SYNC_RATE);
        line("");
        table(List.of("", "p50 ms", "p90 ms", "p99 ms"), List.of(
                new String[] {"this API's answer (asynchronous)", decimal(pct(result.apiMillis(), 50)),
                        decimal(pct(result.apiMillis(), 90)), decimal(pct(result.apiMillis(), 99))},
                new String[] {"sum of the four steps (what a synchronous API would take)",
                        decimal(pct(result.stepSumMillis(), 50)), decimal(pct(result.stepSumMillis(), 90)),
                        decimal(pct(result.stepSumMillis(), 99))},
                new String[] {"per signup: steps sum / answer time", ratio(pct(result.ratios(), 50)),
                        ratio(pct(result.ratios(), 90)), ratio(pct(result.ratios(), 99))}));
    }

    void resources(List<Burst.Sample> samples, String chart) {
        line("## 6. CPU and memory during the burst");
        line("");
        line("Per process, sampled every second from /proc; CPU in percent of one core (the machine has %d).",
                Runtime.getRuntime().availableProcessors());
        line("");
        List<String[]> rows = new ArrayList<>();
        for (String process : samples.isEmpty() ? List.<String>of() : samples.getFirst().cpuPercent().keySet()) {
            double[] cpu = samples.stream().mapToDouble(sample -> sample.cpuPercent().get(process)).toArray();
            long rss = samples.stream().mapToLong(sample -> sample.residentMegabytes().get(process)).max().orElse(0);
            rows.add(new String[] {process, decimal(DoubleStream.of(cpu).average().orElse(0)),
                    decimal(DoubleStream.of(cpu).max().orElse(0)), number(rss)});
        }
        table(List.of("process", "mean CPU %", "peak CPU %", "peak resident MB"), rows);
        image(chart, "CPU per process during the burst");
    }

    void notes(List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        line("## Notes from the run");
        line("");
        notes.forEach(note -> line("- %s", note));
        line("");
    }

    void write(Path file) {
        try {
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String floor(long[] sortedMicros) {
        if (sortedMicros == null || sortedMicros.length == 0) {
            return "-";
        }
        return decimal(sortedMicros[(int) Math.min(sortedMicros.length - 1, sortedMicros.length * 0.5)] / 1_000.0)
                + " / " + decimal(sortedMicros[(int) Math.min(sortedMicros.length - 1, sortedMicros.length * 0.99)]
                / 1_000.0);
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String decimal(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    static double pct(double[] sorted, double percentile) {
        return SyncVersusAsync.Result.percentile(sorted, percentile);
    }

    private void image(String file, String alt) {
        line("![%s](%s)", alt, file);
        line("");
    }

    private void table(List<String> header, List<String[]> rows) {
        line("| %s |", String.join(" | ", header));
        line("|%s", " --- |".repeat(header.size()));
        rows.forEach(row -> line("| %s |", String.join(" | ", row)));
        line("");
    }

    private void line(String format, Object... arguments) {
        text.append(arguments.length == 0 ? format : String.format(Locale.ROOT, format, arguments)).append('\n');
    }
}
