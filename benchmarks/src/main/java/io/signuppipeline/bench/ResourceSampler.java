package io.signuppipeline.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each service's CPU use since the last reading and its resident memory, read once a second during
 * a burst. Memory is read every fifth reading only: reading it costs more than everything else
 * sampled, and it moves slowly; in between, the last figures stand.
 */
final class ResourceSampler {

    private static final int MEMORY_EVERY = 5;

    private final BenchPipeline pipeline;
    private final Map<String, ProcessStats> previous;
    private final Map<String, Long> residentMegabytes = new LinkedHashMap<>();
    private long previousAt = System.nanoTime();
    private int readings;

    ResourceSampler(BenchPipeline pipeline) {
        this.pipeline = pipeline;
        this.previous = ProcessStats.all(pipeline.services(), false);
    }

    /** One reading, at {@code now} in {@link System#nanoTime()}'s terms. */
    Reading read(long now) {
        boolean withMemory = readings++ % MEMORY_EVERY == 0;
        Map<String, ProcessStats> stats = ProcessStats.all(pipeline.services(), withMemory);
        Map<String, Double> cpuPercent = new LinkedHashMap<>();
        double interval = (now - previousAt) / 1e9;
        stats.forEach((service, reading) -> {
            cpuPercent.put(service, reading.cpuPercentSince(previous.getOrDefault(service, reading), interval));
            if (withMemory) {
                residentMegabytes.put(service, reading.residentBytes() / (1024 * 1024));
            }
        });
        previous.putAll(stats);
        previousAt = now;
        return new Reading(cpuPercent, Map.copyOf(residentMegabytes));
    }

    /**
     * @param cpuPercent each service's CPU use since the last reading, percent of one core
     * @param residentMegabytes each service's resident memory at the last reading that took it
     */
    record Reading(Map<String, Double> cpuPercent, Map<String, Long> residentMegabytes) {
    }
}
