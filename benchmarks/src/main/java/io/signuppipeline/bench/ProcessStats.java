package io.signuppipeline.bench;

import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a process has used so far, read from Linux's {@code /proc}: CPU time (user plus system) and,
 * when asked for (reading it walks the process's page tables, which costs CPU of its own), resident
 * memory (proportional set size). Two readings a second apart give its CPU use in that second, as a share of one core.
 *
 * @param cpuSeconds CPU time used since the process started
 * @param residentBytes memory resident right now, shared pages divided among their sharers
 */
record ProcessStats(double cpuSeconds, long residentBytes) {

    /** Clock ticks per second in /proc/[pid]/stat: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;
    static final ProcessStats GONE = new ProcessStats(0, 0);

    static ProcessStats of(long pid, boolean withMemory) {
        return read(pid, withMemory, false);
    }

    /**
     * As {@link #of}, plus the CPU time of the process's children that have exited and been waited
     * for: PostgreSQL's postmaster waits for every backend that ends (a connection closed by a pool),
     * and without their time a server whose backends come and go seemed to use less CPU over a
     * measurement than at its start.
     */
    private static ProcessStats withExitedChildren(long pid, boolean withMemory) {
        return read(pid, withMemory, true);
    }

    private static ProcessStats read(long pid, boolean withMemory, boolean withExitedChildren) {
        try {
            // utime and stime are fields 14 and 15, the exited children's cutime and cstime 16 and 17.
            String[] fields = fieldsAfterCommand(stat(pid));
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withExitedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return new ProcessStats(ticks / TICKS_PER_SECOND, withMemory ? proportionalResident(pid) : 0);
        } catch (IOException | RuntimeException e) {
            return GONE;
        }
    }

    /** The process's nice value (field 19 of /proc/[pid]/stat). */
    static int niceOf(long pid) {
        try {
            return niceIn(stat(pid));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the state of process " + pid, e);
        }
    }

    static int niceIn(String stat) {
        return Integer.parseInt(fieldsAfterCommand(stat)[19 - 3]);
    }

    private static String stat(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The fields after the command name, which is in brackets and may hold spaces: the first is field 3, state. */
    private static String[] fieldsAfterCommand(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * Resident memory with each shared page divided among the processes that share it (PSS), so
     * that PostgreSQL's backends, which all map the same shared buffers, add up to what they use.
     */
    private static long proportionalResident(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    /** The processes whose executable is named {@code name}, such as every PostgreSQL backend. */
    static List<Long> pidsOf(String name) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/" + name)).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    /** Several processes counted as one, with the children they have seen exit. */
    static ProcessStats sum(List<Long> pids, boolean withMemory) {
        return pids.stream().map(pid -> withExitedChildren(pid, withMemory)).reduce(new ProcessStats(0, 0),
                (a, b) -> new ProcessStats(a.cpuSeconds + b.cpuSeconds, a.residentBytes + b.residentBytes));
    }

    /**
     * The five services, the machine's RabbitMQ and PostgreSQL (all its processes together), and
     * this JVM, which sends the load and runs the mocks and the SMTP server.
     */
    static Map<String, ProcessStats> all(Map<String, ServiceProcess> services, boolean withMemory) {
        Map<String, ProcessStats> stats = new LinkedHashMap<>();
        services.forEach((name, service) -> stats.put(name, of(service.pid(), withMemory)));
        stats.put("rabbitmq", sum(pidsOf("beam.smp"), withMemory));
        stats.put("postgresql", sum(pidsOf("postgres"), withMemory));
        stats.put("benchmark", of(ProcessHandle.current().pid(), withMemory));
        return stats;
    }

    /** CPU use between an earlier reading and this one, in percent of one core. */
    double cpuPercentSince(ProcessStats earlier, double seconds) {
        return seconds <= 0 ? 0 : Math.max(0, cpuSeconds - earlier.cpuSeconds) / seconds * 100;
    }
}
