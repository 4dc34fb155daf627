package io.signuppipeline.bench;

import static io.signuppipeline.bench.Markdown.decimal;
import static io.signuppipeline.bench.Markdown.number;
import static io.signuppipeline.bench.Markdown.pct;
import static io.signuppipeline.bench.Markdown.ratio;

import java.util.List;

/** The report's headline table: each claim, the lesson's figure, the target here and what was measured. */
final class Headline {

    private Headline() {
    }

    /** The claims of the lesson and the targets, against what this run measured. */
    static List<String[]> rows(MeasuredBurst measured, PgBench.Result pgbench, int sustained,
            OpenLoad.Result at200, DrainRate drain, Settings settings, SyncVersusAsync.Result sync) {
        Burst.Result burst = measured.burst();
        double p99at200 = at200 == null ? Double.NaN : at200.percentileMillis(99);
        double burstRate = burst.created() / burst.recordedSeconds();
        double emailRate = settings.emailMaxRate();
        return List.of(
                row("the user waits for the database row only", "~8 ms answer, ~1,200 ms synchronous", "-",
                        "p50 %s ms answer against %s ms for the four calls in a row".formatted(
                                decimal(pct(sync.apiMillis(), 50)),
                                decimal(pct(sync.stepSumMillis(), 50))),
                        null),
                row("a burst of " + number(settings.burst()) + " signups, every step DONE",
                        "levelled to 500/s", "at least 400 signups/s, first POST to last DONE",
                        "%s/s (%s s)".formatted(decimal(burstRate), decimal(burst.recordedSeconds())),
                        burstRate >= 400),
                row("the burst's POSTs, while the workers drain", "milliseconds",
                        "all 201, p99 at most 50 ms, none over 1 s",
                        "p99 %s ms, max %s ms, %s errors".formatted(decimal(burst.answerMillis(99)),
                                decimal(burst.answerMillis(100)), number(burst.errors())),
                        burst.errors() == 0 && burst.answerMillis(99) <= 50 && burst.answersSlowerThan(1_000) == 0),
                row("API p99 at 200 signups/s, workers frozen", "-", "at most 10 ms", decimal(p99at200) + " ms",
                        p99at200 <= 10),
                row("maximum sustained rate (p99 under 50 ms), workers frozen", "-", "at least half of pgbench ("
                        + decimal(pgbench.transactionsPerSecond() / 2) + "/s)",
                        number(sustained) + "/s, " + ratio(sustained / pgbench.transactionsPerSecond())
                                + " of pgbench", sustained >= pgbench.transactionsPerSecond() / 2),
                row("email drained at a steady rate", "500/s", settings.emailMaxRate() + "/s, coefficient of "
                        + "variation at most 0.2", "%s/s mean, coefficient of variation %s".formatted(
                                decimal(drain.mean()), ratio(drain.variation())),
                        Math.abs(drain.mean() - emailRate) <= emailRate * 0.05 && drain.variation() <= 0.2),
                row("CPU per signup, every process on the machine", "-", "aim: 5 ms or less",
                        ratio(measured.cost().cpuMillisTotal()) + " ms", measured.cost().cpuMillisTotal() <= 5));
    }

    private static String[] row(String claim, String lesson, String target, String measured, Boolean met) {
        return new String[] {claim, lesson, target, measured, met == null ? "-" : met ? "yes" : "no"};
    }
}
