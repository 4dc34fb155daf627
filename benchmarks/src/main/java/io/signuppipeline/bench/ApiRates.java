package io.signuppipeline.bench;

import static io.signuppipeline.bench.Benchmark.catchUp;
import static io.signuppipeline.bench.Benchmark.say;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The API under an open load, the workers frozen: each rate of the latency table, and the search
 * above it for the highest rate sustained (no error, the schedule kept, p99 under 50 ms).
 */
final class ApiRates {

    /** The rate the API's own hot path is warmed up at, the workers frozen as when it is measured. */
    private static final int WARM_UP_RATE = 200;

    private ApiRates() {
    }

    /**
     * What a full run measures of the API alone.
     *
     * @param table each rate of the latency table
     * @param database pgbench's latencies at the same rates, per rate
     * @param databaseClients pgbench's clients: as many as the API has database connections
     * @param search the rates tried above the table
     * @param sustained the highest rate sustained, in the table or the search; 0 if none
     */
    record Measured(List<OpenLoad.Result> table, Map<Integer, long[]> database, int databaseClients,
            List<OpenLoad.Result> search, int sustained) {

        /** The table's result at this rate, or null if it has none. */
        OpenLoad.Result at(int rate) {
            return table.stream().filter(result -> result.rate() == rate).findFirst().orElse(null);
        }
    }

    /**
     * After a warm-up of the API's own hot path: the latency table, pgbench's latency at the same
     * rates beside it with as many clients as the API has database connections, and the search for
     * the highest rate sustained.
     */
    static Measured measureAll(BenchPipeline pipeline, Settings settings, List<String> notes, String run,
            int clients) {
        say("API warm-up: %d signups/s for %d s, workers frozen", WARM_UP_RATE, settings.warmUp().toSeconds());
        measure(pipeline, settings, notes, run + "-warmapi", WARM_UP_RATE, settings.warmUp());
        List<OpenLoad.Result> table = new ArrayList<>();
        for (int rate : settings.latencyRates()) {
            table.add(measure(pipeline, settings, notes, run + "-open" + rate, rate));
        }
        Map<Integer, long[]> database = new LinkedHashMap<>();
        for (int rate : settings.latencyRates()) {
            say("pgbench at %d transactions/s for %d s", rate, settings.latencyStep().toSeconds());
            database.put(rate, PgBench.latencyAt(pipeline.run().postgres(), clients, rate, settings.latencyStep()));
        }
        List<OpenLoad.Result> search = searchMaximum(pipeline, settings, notes, run, table);
        int sustained = bestSustained(table, search);
        say("Maximum sustained rate: %d signups/s", sustained);
        return new Measured(table, database, clients, search, sustained);
    }

    private static OpenLoad.Result measure(BenchPipeline pipeline, Settings settings, List<String> notes,
            String cohort, int rate) {
        return measure(pipeline, settings, notes, cohort, rate, settings.latencyStep());
    }

    /**
     * Holds the rate for the duration with the workers frozen, as every rate of the table is measured, then
     * purges the rate's events from the worker queues and lets the workers catch up.
     */
    private static OpenLoad.Result measure(BenchPipeline pipeline, Settings settings, List<String> notes,
            String cohort, int rate, Duration duration) {
        OpenLoad.Result result;
        long purged;
        pipeline.pauseWorkers();
        try {
            result = OpenLoad.run(pipeline.client(), cohort, rate, duration);
            // The relay may still be publishing the last of them: purge once it has, then resume.
            PipelineWaits.outboxPublished(pipeline.ledger(), settings.drainLimit());
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

    /** The highest rate sustained, in the table or the search; 0 if none. */
    private static int bestSustained(List<OpenLoad.Result> table, List<OpenLoad.Result> search) {
        return Stream.concat(table.stream(), search.stream()).filter(OpenLoad.Result::sustained)
                .map(OpenLoad.Result::rate).max(Comparator.naturalOrder()).orElse(0);
    }

    private static int roundTo50(double rate) {
        return (int) Math.max(50, Math.round(rate / 50) * 50);
    }
}
