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
        List<Burst.Sample> ends = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Burst.Sample before = samples.get(i - 1);
            Burst.Sample after = samples.get(i);
            if (before.ready().get(worker) > 0 && after.ready().get(worker) > 0) {
                ends.add(before);
                ends.add(after);
            }
        }
        List<Burst.Sample> whole = ends.size() > 4 ? ends.subList(2, ends.size() - 2) : ends;
        double[] rates = new double[whole.size() / 2];
        Map<String, Double> cpu = new TreeMap<>();
        for (int i = 0; i < rates.length; i++) {
            Burst.Sample before = whole.get(2 * i);
            Burst.Sample after = whole.get(2 * i + 1);
            rates[i] = (after.processed().get(step) - before.processed().get(step)) / (after.seconds() - before.seconds());
            after.cpuPercent().forEach((process, percent) -> cpu.merge(process, percent / rates.length, Double::sum));
        }
        return new DrainRate(rates, cpu);
    }

    int seconds() {
        return perSecond.length;
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
