package io.signuppipeline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A burst of signups sent as fast as the API takes them (a fixed number of requests waiting at
 * once), then followed until every worker has processed every one of them, with a sample of the
 * queues, the workers' progress and each service's CPU and memory every second.
 */
final class Burst {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private Burst() {
    }

    /**
     * One second of the burst.
     *
     * @param seconds since the first signup was sent
     * @param answered signups answered so far
     * @param ready messages waiting in each worker's queue
     * @param processed this burst's signups each worker has processed so far, per step
     * @param cpuPercent each service's CPU use in the last second, percent of one core
     * @param residentMegabytes each service's resident memory
     */
    record Sample(double seconds, int answered, Map<String, Long> ready, Map<String, Long> processed,
            Map<String, Double> cpuPercent, Map<String, Long> residentMegabytes) {
    }

    /**
     * The figures of a burst.
     *
     * @param signups signups sent
     * @param created 201 answers
     * @param errors any other answer
     * @param acceptedSeconds from the first signup sent to the last one answered
     * @param processedSeconds per step, from the first signup sent until its worker had processed all of them
     * @param recordedSeconds from the first signup sent until the API showed all four steps DONE for all of them
     * @param answerMicros each POST's time from being sent to being answered
     * @param samples one per second
     * @param releasedSeconds when the held worker was let go, once the others were through; NaN if none was held
     * @param inFlight requests kept waiting on the API at once
     */
    record Result(int signups, int created, int errors, double acceptedSeconds, Map<String, Double> processedSeconds,
            double recordedSeconds, Histogram answerMicros, List<Sample> samples, double releasedSeconds,
            int inFlight) {

        double answerMillis(double percentile) {
            return answerMicros.getValueAtPercentile(percentile) / 1_000.0;
        }

        /** Answers that took longer than {@code millis}. */
        long answersSlowerThan(long millis) {
            long slower = 0;
            for (var value : answerMicros.recordedValues()) {
                if (value.getValueIteratedTo() > millis * 1_000) {
                    slower += value.getCountAtValueIteratedTo();
                }
            }
            return slower;
        }

        /** The samples from the held worker's release on; all of them if none was held. */
        List<Sample> samplesSinceRelease() {
            return Double.isNaN(releasedSeconds) ? samples
                    : samples.stream().filter(sample -> sample.seconds() >= releasedSeconds).toList();
        }

        /** Until the last of the four workers had processed every signup; NaN if one never finished. */
        double fullyProcessedSeconds() {
            return Ledger.STEPS.stream().mapToDouble(step -> processedSeconds.getOrDefault(step, Double.NaN))
                    .max().orElse(Double.NaN);
        }
    }

    static Result run(BenchPipeline pipeline, String cohort, int signups, int inFlight, Duration limit) {
        return run(pipeline, cohort, signups, inFlight, limit, null);
    }

    /**
     * As {@link #run(BenchPipeline, String, int, int, Duration)}, with one step's worker frozen (SIGSTOP)
     * from the first signup until the other three have processed every one, then let go: its queue
     * holds the whole burst, and it drains it with the cores to itself.
     *
     * @param heldStep the step whose worker waits, or null for none
     */
    static Result run(BenchPipeline pipeline, String cohort, int signups, int inFlight, Duration limit,
            String heldStep) {
        if (heldStep != null) {
            pipeline.pause(List.of(heldStep + "-worker"));
        }
        double releasedSeconds = Double.NaN;
        Map<String, Long> processedBefore = pipeline.ledger().processed();
        Map<String, Long> recordedBefore = pipeline.ledger().done();
        BurstSender sender = BurstSender.start(pipeline.client(), cohort, signups, inFlight);
        long start = sender.start();

        List<Sample> samples = new ArrayList<>();
        Map<String, Double> processedSeconds = new LinkedHashMap<>();
        ResourceSampler resources = new ResourceSampler(pipeline);
        long deadline = start + limit.toNanos();
        double recordedSeconds = Double.NaN;
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(SAMPLE_EVERY.toNanos());
            long now = System.nanoTime();
            double seconds = (now - start) / 1e9;
            int answeredNow = sender.answered();
            Map<String, Long> processed = since(pipeline.ledger().processed(), processedBefore);
            ResourceSampler.Reading reading = resources.read(now);
            samples.add(new Sample(seconds, answeredNow, pipeline.queues().ready(), processed, reading.cpuPercent(),
                    reading.residentMegabytes()));
            boolean allAnswered = answeredNow == signups;
            processed.forEach((step, done) -> {
                if (allAnswered && done >= sender.created()) {
                    processedSeconds.putIfAbsent(step, seconds);
                }
            });
            if (heldStep != null && Double.isNaN(releasedSeconds) && processedSeconds.keySet()
                    .containsAll(Ledger.STEPS.stream().filter(step -> !step.equals(heldStep)).toList())) {
                pipeline.resume(List.of(heldStep + "-worker"));
                releasedSeconds = seconds;
            }
            // Counting the API's DONE steps scans a table that grows by four rows per signup, the
            // costliest statement the benchmark sends: it waits until the workers are through.
            if (processedSeconds.size() == Ledger.STEPS.size() && since(pipeline.ledger().done(), recordedBefore)
                    .values().stream().allMatch(done -> done >= sender.created())) {
                recordedSeconds = seconds;
                break;
            }
        }
        return new Result(signups, sender.created(), sender.answered() - sender.created(), sender.acceptedSeconds(),
                processedSeconds, recordedSeconds, sender.answerMicros(), samples, releasedSeconds, inFlight);
    }

    private static Map<String, Long> since(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> difference = new LinkedHashMap<>();
        now.forEach((step, count) -> difference.put(step, count - before.getOrDefault(step, 0L)));
        return difference;
    }
}
