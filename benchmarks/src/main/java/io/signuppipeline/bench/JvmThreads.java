package io.signuppipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A JVM's CPU time split by what its threads do, read from {@code /proc/[pid]/task}: the JIT
 * compilers' threads, the garbage collector's, and everything else (the service's own work).
 *
 * @param compilingSeconds CPU time of the C1 and C2 compiler threads
 * @param collectingSeconds CPU time of the garbage collector's threads
 */
record JvmThreads(double compilingSeconds, double collectingSeconds) {

    private static final double TICKS_PER_SECOND = 100.0;

    static JvmThreads of(long pid) {
        double compiling = 0;
        double collecting = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat = read(task.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                if (name.contains("CompilerThre")) {
                    compiling += seconds;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    collecting += seconds;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new JvmThreads(0, 0);
        }
        return new JvmThreads(compiling, collecting);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null; // the thread has ended
        }
    }
}
