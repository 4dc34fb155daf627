package io.signuppipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

/**
 * How steadily a worker drained its queue: its messages per second, second by second, over the
 * seconds in which it had a backlog (the first and last of them left out, being partial).
 *
 * @param perSecond the rate in each of those seconds
 * @param cpuPercent each process's mean CPU use over those seconds, in percent of one core
 */
record DrainRate(double[] perSecond, Map<String, Double> cpuPercent) {

    static DrainRate of(List<Burst.Sample> samples, String worker, String step) {
        List<Second> backlogged = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Second second = new Second(samples.get(i - 1), samples.get(i));
            if (second.before().ready().get(worker) > 0 && second.after().ready().get(worker) > 0) {
                backlogged.add(second);
            }
        }
        List<Second> whole = backlogged.size() > 2 ? backlogged.subList(1, backlogged.size() - 1) : backlogged;
        Map<String, Double> cpu = new TreeMap<>();
        whole.forEach(second -> second.after().cpuPercent()
                .forEach((process, percent) -> cpu.merge(process, percent / whole.size(), Double::sum)));
        return new DrainRate(whole.stream().mapToDouble(second -> second.rate(step)).toArray(), cpu);
    }

    /** Two samples a second apart: the later one holds the CPU used between them. */
    private record Second(Burst.Sample before, Burst.Sample after) {

        double rate(String step) {
            return (after.processed().get(step) - before.processed().get(step)) / (after.seconds() - before.seconds());
        }
    }

    int seconds() {
        return perSecond.length;
    }

    /** 1, 2, 3 … for each second measured: the x axis of its chart. */
    double[] secondsAxis() {
        double[] seconds = new double[perSecond.length];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = i + 1;
        }
        return seconds;
    }

    double mean() {
        return perSecond.length == 0 ? Double.NaN : DoubleStream.of(perSecond).average().orElseThrow();
    }

    double standardDeviation() {
        double mean = mean();
        return Math.sqrt(DoubleStream.of(perSecond).map(rate -> (rate - mean) * (rate - mean)).average()
                .orElse(Double.NaN));
    }

    /** Standard deviation over mean: 0 is perfectly steady. */
    double variation() {
        return standardDeviation() / mean();
    }

    double slowest() {
        return DoubleStream.of(perSecond).min().orElse(Double.NaN);
    }

    double fastest() {
        return DoubleStream.of(perSecond).max().orElse(Double.NaN);
    }
}
