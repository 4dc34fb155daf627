package io.signuppipeline.bench;

import static io.signuppipeline.bench.Markdown.decimal;
import static io.signuppipeline.bench.Markdown.number;
import static io.signuppipeline.bench.Markdown.ratio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;

/** The report's sections on a burst: its pace, what one signup cost, where the CPU went, the limited drain. */
final class BurstReport {

    private final Markdown md;

    BurstReport(Markdown md) {
        this.md = md;
    }

    void burst(String title, Burst.Result burst, PgBench.Result pgbench, List<String> charts) {
        md.line("## %s", title);
        md.line("");
        double intake = burst.created() / Math.max(burst.acceptedSeconds(), 1e-9);
        md.line("%s signups sent %d at a time; %s answered 201, %s errors. The API took them all in %s s "
                + "(%s signups/s).",
                number(burst.signups()), burst.inFlight(), number(burst.created()), number(burst.errors()),
                decimal(burst.acceptedSeconds()), decimal(intake));
        md.line("");
        List<String[]> rows = new ArrayList<>();
        burst.processedSeconds().forEach((step, seconds) -> rows.add(new String[] {step, decimal(seconds),
                decimal(burst.created() / seconds)}));
        md.line("Each POST's answer time during the burst, the workers draining on the same cores: p50 %s ms, "
                + "p99 %s ms, p99.9 %s ms, maximum %s ms; %s took over a second.", decimal(burst.answerMillis(50)),
                decimal(burst.answerMillis(99)), decimal(burst.answerMillis(99.9)), decimal(burst.answerMillis(100)),
                number(burst.answersSlowerThan(1_000)));
        md.line("");
        md.table(List.of("worker's step", "all processed after s", "signups/s"), rows);
        double full = burst.fullyProcessedSeconds();
        md.line("Fully processed by all four workers after **%s s**; the API showed every step DONE for every signup "
                + "after **%s s**: %s signups/s from the first POST to the last DONE.%s", decimal(full),
                decimal(burst.recordedSeconds()), decimal(burst.created() / burst.recordedSeconds()),
                pgbench == null ? "" : " pgbench needs %s s for as many transactions.".formatted(
                        decimal(pgbench.secondsFor(burst.created()))));
        md.line("");
        charts.forEach(chart -> md.image(chart, title));
    }

    void cost(Costs.PerSignup cost) {
        md.line("## 4c. What one signup costs");
        md.line("");
        md.line("Counted over the burst of %s signups, from its first POST until the API showed every step DONE: "
                + "PostgreSQL's committed transactions in the run's database (`pg_stat_database.xact_commit`, the "
                + "benchmark's own progress queries included), the broker's message operations in the run's vhost "
                + "(management statistics) and each process's CPU time.", number(cost.signups()));
        md.line("");
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
        md.table(List.of("per signup", "value"), rows);
    }

    void profiles(Map<String, Profiles.Profile> profiles) {
        md.line("## 4d. Where each service spent its CPU during the burst");
        md.line("");
        md.line("JDK Flight Recorder in every service during the burst (default settings: a sample of each running "
                + "thread every 20 ms). *On top* is the method running when sampled (its own time); *ours* is the "
                + "project's method found anywhere on the stack (its time including what it calls). Shares are of the "
                + "service's samples.");
        md.line("");
        List<String[]> rows = new ArrayList<>();
        profiles.forEach((service, profile) -> {
            for (int i = 0; i < Math.max(profile.selfFrames().size(), profile.ownFrames().size()); i++) {
                rows.add(new String[] {i == 0 ? service + " (" + number(profile.samples()) + " samples)" : "",
                        frame(profile.selfFrames(), i), frame(profile.ownFrames(), i)});
            }
        });
        md.table(List.of("service", "on top", "ours"), rows);
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
            md.line("The email worker, limited to %d messages/s, never had a backlog for a whole second: the burst was "
                    + "too small to measure its rate.", limit);
            md.line("");
            return;
        }
        md.line("The email worker was frozen (SIGSTOP) from the first signup until the other three workers had "
                + "processed every one, then let go with the whole burst in its queue, so that it drained with the "
                + "cores free for it. Limited to %d messages/s, it drained at a mean **%s/s** (standard deviation %s, "
                + "coefficient of variation %s; slowest second %s, fastest %s; %d whole seconds with a backlog).",
                limit, decimal(rate.mean()), decimal(rate.standardDeviation()), ratio(rate.variation()),
                decimal(rate.slowest()), decimal(rate.fastest()), rate.seconds());
        md.line("");
        md.line("CPU in those seconds, percent of one core (200 is both cores): %s.", String.join(", ",
                rate.cpuPercent().entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                        .map(entry -> entry.getKey() + " " + Math.round(entry.getValue())).toList()));
        md.line("");
        md.image(chart, "email worker messages per second");
    }

    void resources(List<Burst.Sample> samples, String chart) {
        md.line("## 6. CPU and memory during the burst");
        md.line("");
        md.line("Per process, sampled every second from /proc; CPU in percent of one core (the machine has %d).",
                Runtime.getRuntime().availableProcessors());
        md.line("");
        List<String[]> rows = new ArrayList<>();
        for (String process : samples.isEmpty() ? List.<String>of() : samples.getFirst().cpuPercent().keySet()) {
            double[] cpu = samples.stream().mapToDouble(sample -> sample.cpuPercent().get(process)).toArray();
            long rss = samples.stream().mapToLong(sample -> sample.residentMegabytes().get(process)).max().orElse(0);
            rows.add(new String[] {process, decimal(DoubleStream.of(cpu).average().orElse(0)),
                    decimal(DoubleStream.of(cpu).max().orElse(0)), number(rss)});
        }
        md.table(List.of("process", "mean CPU %", "peak CPU %", "peak resident MB"), rows);
        md.image(chart, "CPU per process during the burst");
    }
}
