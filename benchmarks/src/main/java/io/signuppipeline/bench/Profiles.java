package io.signuppipeline.bench;

import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JDK Flight Recorder on every service during a measurement, started and stopped through
 * {@code jcmd} so the services run as they always do, then read back: where each one spent its CPU.
 */
final class Profiles {

    private static final String RECORDING = "bench";
    private static final String OUR_CODE = "io.signuppipeline.";

    private final Map<String, ServiceProcess> services;
    private final Path folder;
    private final Recording benchmark;

    private Profiles(Map<String, ServiceProcess> services, Path folder, Recording benchmark) {
        this.services = services;
        this.folder = folder;
        this.benchmark = benchmark;
    }

    /**
     * Starts a recording in each service, and in this JVM (the load, the mocks and the SMTP server),
     * with the JDK's default settings (a sample every 20 ms).
     */
    static Profiles start(Map<String, ServiceProcess> services, Path folder) {
        services.forEach((name, service) -> jcmd(service, "JFR.start", "name=" + RECORDING, "settings=default"));
        try {
            Recording benchmark = new Recording(Configuration.getConfiguration("default"));
            benchmark.start();
            return new Profiles(Map.copyOf(services), folder, benchmark);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("Cannot start the JDK's default recording", e);
        }
    }

    /**
     * Stops every recording and throws it away. A recording run during the warm-up gets the
     * recorder's own code compiled before the measurement; started cold at the burst, the JIT's work
     * on the recorder would count as the pipeline's CPU.
     */
    void discard() {
        services.values().forEach(service -> jcmd(service, "JFR.stop", "name=" + RECORDING));
        benchmark.stop();
        benchmark.close();
    }

    /** Stops every recording, writes it beside the report and answers each service's hottest frames. */
    Map<String, Profile> stop(int top) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        services.keySet().stream().sorted().forEach(name -> {
            Path file = folder.resolve(name + ".jfr").toAbsolutePath();
            jcmd(services.get(name), "JFR.stop", "name=" + RECORDING, "filename=" + file);
            profiles.put(name, Profile.read(file, top));
        });
        Path file = folder.resolve("benchmark.jfr").toAbsolutePath();
        try {
            benchmark.stop();
            benchmark.dump(file);
            benchmark.close();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
        profiles.put("benchmark", Profile.read(file, top));
        return profiles;
    }

    /**
     * One service's recording, summed up.
     *
     * @param samples execution samples taken (threads running Java code)
     * @param selfFrames the methods most often on top of the stack, with their share of the samples
     * @param ownFrames the project's methods most often anywhere on the stack, with their share
     */
    record Profile(long samples, List<Map.Entry<String, Double>> selfFrames, List<Map.Entry<String, Double>> ownFrames) {

        static Profile read(Path file, int top) {
            Map<String, Long> self = new HashMap<>();
            Map<String, Long> own = new HashMap<>();
            long samples = 0;
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent event = recording.readEvent();
                    if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                            || event.getStackTrace().getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = event.getStackTrace().getFrames();
                    self.merge(name(frames.getFirst()), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        String name = name(frame);
                        // Lambdas and hidden classes say nothing a reader can look up; their method's frame follows.
                        if (name.startsWith(OUR_CODE) && !name.contains("lambda$") && !name.contains("$$")
                                && seen.add(name)) {
                            own.merge(name, 1L, Long::sum);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the recording " + file, e);
            }
            return new Profile(samples, hottest(self, samples, top), hottest(own, samples, top));
        }

        private static String name(RecordedFrame frame) {
            return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        }

        private static List<Map.Entry<String, Double>> hottest(Map<String, Long> counts, long samples, int top) {
            List<Map.Entry<String, Double>> hottest = new ArrayList<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(top).forEach(entry -> hottest.add(Map.entry(entry.getKey(),
                            100.0 * entry.getValue() / Math.max(1, samples))));
            return hottest;
        }
    }

    private static void jcmd(ServiceProcess service, String... command) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<String> line = new ArrayList<>(List.of(java.resolveSibling("jcmd").toString(),
                Long.toString(service.pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0 || output.contains("Could not")) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed for " + service.name()
                        + ": " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run jcmd for " + service.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running jcmd", e);
        }
    }
}
