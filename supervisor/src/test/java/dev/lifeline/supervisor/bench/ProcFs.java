package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** What /proc says about a process: its memory (RSS and PSS), CPU time, threads and children. */
final class ProcFs {
    private ProcFs() {
    }

    /** Resident set, kB: shared pages (the JDK's CDS archive, libjvm) count in full. */
    static long rssKb(long pid) throws IOException {
        return field(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
    }

    /** Proportional set, kB: shared pages divided among the processes that map them. */
    static long pssKb(long pid) throws IOException {
        return field(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
    }

    /** utime + stime in clock ticks (USER_HZ, 100 on Linux). */
    static long cpuTicks(long pid) throws IOException {
        long[] ticks = userAndSystemTicks(pid);
        return ticks[0] + ticks[1];
    }

    /**
     * utime + stime per thread name (threads of one name summed, pool numbers dropped), in clock ticks: which threads
     * spend an idle supervisor's CPU. Threads that end between two calls are missed; that is fine for a steady idle.
     */
    static java.util.Map<String, Long> cpuTicksByThread(long pid) throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended while we listed
                }
            }
        }
        return out;
    }

    /** {utime, stime} in clock ticks. */
    static long[] userAndSystemTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** utime + stime of every descendant alive now (sshd's session processes), clock ticks. */
    static long descendantsCpuTicks(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).mapToLong(d -> {
            try {
                return cpuTicks(d.pid());
            } catch (IOException gone) {
                return 0;
            }
        }).sum();
    }

    /**
     * What a process and its descendants did in system calls and switches, summed: read and write calls (/proc/PID/io
     * syscr, syscw) and context switches of all threads, voluntary and not. Processes that end between two calls are
     * missed.
     */
    static long[] readsWritesSwitches(long pid) {
        long[] sum = new long[3];
        ProcessHandle.of(pid).stream().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .forEach(p -> {
                    try {
                        Path proc = Path.of("/proc", String.valueOf(p.pid()));
                        sum[0] += field(proc.resolve("io"), "syscr:");
                        sum[1] += field(proc.resolve("io"), "syscw:");
                        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                            for (Path task : tasks.toList()) {
                                sum[2] += field(task.resolve("status"), "voluntary_ctxt_switches:")
                                        + field(task.resolve("status"), "nonvoluntary_ctxt_switches:");
                            }
                        }
                    } catch (IOException gone) {
                        // ended while we looked
                    }
                });
        return sum;
    }

    /** The whole machine's CPU time since boot from /proc/stat's first line, {busy, idle + iowait}, clock ticks. */
    static long[] machineBusyAndIdleTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
        }
        return new long[] {busy, idle};
    }

    /** cutime + cstime: the CPU of the children it has waited for (the supervisor's ss and ip runs), clock ticks. */
    static long childCpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    static long threads(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.count();
        }
    }

    /** The direct children of a single-threaded process (autossh's ssh). */
    static List<Long> children(long pid) throws IOException {
        String c = Files.readString(Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "children")).trim();
        return c.isEmpty() ? List.of() : Arrays.stream(c.split("\\s+")).map(Long::valueOf).toList();
    }

    private static long field(Path file, String name) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + name + " in " + file);
    }
}
