package dev.lifeline.templates.bastion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.templates.testing.BootedBastion;
import dev.lifeline.templates.testing.Tools;

/**
 * A run of ci/bastion-boot.sh that is killed before its stop (SIGKILL, a lost session, a CI timeout) leaves its
 * network behind, and the subnet is fixed: once, CI failed at its first booted test because a killed run still held
 * 198.19.200.1. net-up now removes such leftovers when none of the run's processes lives, and refuses, touching
 * nothing, when one does. Real namespaces and processes; only the network part (net-up), no machine is booted.
 */
class BootHarnessLeftoversIT {
    private final List<Path> runs = new ArrayList<>();

    @BeforeEach
    void bootable() {
        BootedBastion.assumeBootable();
    }

    @AfterEach
    void stopAll() {
        for (Path run : runs) {
            harness("stop", run.toString());
        }
    }

    @Test
    void aRunKilledBeforeItsStopIsRemovedByTheNextNetUp() throws Exception {
        Path killed = netUp();
        String killedId = id(killed);
        killEverythingItStarted(killed);

        Path next = newRun();
        Tools.Result r = harness("net-up", next.toString());

        assertEquals(0, r.exitCode(), () -> "net-up after a killed run: " + r);
        assertTrue(r.output().contains("reclaimed killed run " + killedId), r::output);
        assertFalse(Files.exists(killed), "the killed run's directory is removed");
        assertFalse(namespaces().contains("lboot-sw-" + killedId), namespaces());
        assertEquals("lboot-h" + id(next), holderOfHostAddress(), "the new run holds the host end");
    }

    @Test
    void leftoversWhoseDirectoryIsGoneAreRemovedByName() throws Exception {
        Path killed = netUp();
        String killedId = id(killed);
        killEverythingItStarted(killed);
        assertEquals(0, Tools.run(30, List.of("rm", "-rf", "--one-file-system", killed.toString())).exitCode());

        Path next = newRun();
        Tools.Result r = harness("net-up", next.toString());

        assertEquals(0, r.exitCode(), () -> "net-up after a killed run without its directory: " + r);
        assertTrue(r.output().contains("its directory was gone"), r::output);
        assertFalse(namespaces().contains("lboot-sw-" + killedId), namespaces());
        assertEquals("lboot-h" + id(next), holderOfHostAddress());
    }

    @Test
    void aRunThatStillRunsIsNeverTouched() throws IOException {
        Path live = netUp();
        String liveId = id(live);

        Path second = newRun();
        Tools.Result r = harness("net-up", second.toString());

        assertNotEquals(0, r.exitCode(), "a second run while one runs must be refused");
        assertTrue(r.output().contains("which still runs"), r::output);
        assertTrue(Files.isDirectory(live), "the live run's directory stays");
        assertTrue(namespaces().contains("lboot-sw-" + liveId), namespaces());
        assertEquals("lboot-h" + liveId, holderOfHostAddress(), "the live run keeps the host end");
        for (long pid : pids(live)) {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs");
        }
    }

    private Path newRun() throws IOException {
        Path run = Files.createTempDirectory(Path.of("/var/tmp"), "lboot-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        runs.add(run);
        return run;
    }

    private Path netUp() throws IOException {
        Path run = newRun();
        Tools.Result r = harness("net-up", run.toString());
        assertEquals(0, r.exitCode(), () -> "net-up: " + r);
        return run;
    }

    private static String id(Path run) throws IOException {
        return Files.readString(run.resolve("id")).trim();
    }

    /** The PIDs the run recorded (its metadata stand-in and apt proxy), as its "made" file lists them. */
    private static List<Long> pids(Path run) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("made"))) {
            String[] f = line.split(" ");
            if (f[0].equals("pid")) {
                pids.add(Long.parseLong(f[1]));
            }
        }
        assertFalse(pids.isEmpty(), "net-up records the processes it starts");
        return pids;
    }

    private static void killEverythingItStarted(Path run) throws IOException, InterruptedException {
        for (long pid : pids(run)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        for (long pid : pids(run)) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertTrue(Instant.now().isBefore(deadline), "process " + pid + " did not die of SIGKILL within 10 s");
                Thread.sleep(50);
            }
        }
    }

    private static String namespaces() {
        return Tools.run(10, List.of("ip", "netns", "list")).output();
    }

    private static String holderOfHostAddress() {
        String out = Tools.run(10, List.of("ip", "-o", "addr", "show", "to", BootedBastion.HOST + "/32")).output().trim();
        String[] f = out.split("\\s+");
        return f.length > 1 ? f[1].replaceAll("@.*", "") : "(nobody: " + out + ")";
    }

    private static Tools.Result harness(String... args) {
        List<String> c = new ArrayList<>(List.of(BootedBastion.script().toString()));
        c.addAll(List.of(args));
        return Tools.run(120, c);
    }
}
