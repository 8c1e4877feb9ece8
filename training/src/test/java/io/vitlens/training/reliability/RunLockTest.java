package io.vitlens.training.reliability;

import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer per run directory (issue #16, item 8), with real processes: a second trainer on a directory another
 * process trains in ends with exit status 2 and a message naming the directory and the holder's PID, touching
 * nothing; eval and analyze still read the run; a holder killed with -9 leaves nothing that blocks the next
 * trainer; and a run that a second trainer tried to join ends with one run's metrics, epochs 1..N in order.
 */
class RunLockTest {
    @TempDir Path dir;

    @Test
    void aTrainerInAnotherProcessKeepsOutASecondOneButNotReaders() throws Exception {
        ModelFiles.Fixture fx = ModelFiles.train(dir);
        Path run = fx.run();
        assertFalse(Files.exists(RunLock.file(run)), "a finished run keeps no lock file");
        Process holder = startHolder(run);
        try {
            long pid = awaitLocked(holder);
            Map<Path, byte[]> before = BadModelFileTest.snapshot(run);
            assertTrue(Files.readString(RunLock.file(run)).startsWith(pid + "\n"), "the lock file starts with the holder's PID");

            Vit.Result resume = Vit.run("train", "--resume", "--out", run.toString());
            Vit.assertBadInput(resume, "run directory " + run, "process " + pid, RunLock.file(run).toString());
            Vit.Result overwrite = Vit.run("train", "--config", fx.config().toString(), "--out", run.toString(), "--overwrite");
            Vit.assertBadInput(overwrite, "run directory " + run, "process " + pid);
            BadModelFileTest.assertSnapshotEquals(before, BadModelFileTest.snapshot(run));   // --overwrite deleted nothing

            RunLock.RunLockedException direct = assertThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(run));
            assertEquals(Long.toString(pid), direct.holder());

            // readers take no lock
            Vit.Result eval = Vit.run("eval", "--checkpoint", fx.checkpoint1().toString());
            assertEquals(0, eval.status(), eval::toString);
            Vit.Result analyze = Vit.run("analyze", "--run", run.toString(), "--images", "16");
            assertEquals(0, analyze.status(), analyze::toString);
            assertTrue(Files.exists(new RunDirectory(run).report().resolve("analysis.json")));
        } finally {
            holder.destroyForcibly();   // kill -9: no finally block of the holder runs
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(RunLock.file(run)), "kill -9 leaves the file behind, but not the OS lock");
        Vit.Result resumed = Vit.run("train", "--resume", "--out", run.toString());
        assertEquals(0, resumed.status(), resumed::toString);
        assertFalse(Files.exists(RunLock.file(run)), "the next trainer took the lock over and removed the file when done");
    }

    @Test
    void aSecondTrainerProcessExitsWithStatus2AndTheRunStaysOneRun() throws Exception {
        // long enough (about 10 s) that the second JVM starts while the first trains
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML.replace("epochs: 3", "epochs: 5")
                .replace("train-size: 256", "train-size: 2048"));
        Path run = dir.resolve("run");
        // the first trainer: a real `vit train` process; the test waits until it holds the directory
        Process first = startVit(dir.resolve("first.log"), "train", "--config", config.toString(), "--out", run.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(new RunDirectory(run).checkpoint(0)) && first.isAlive() && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertTrue(first.isAlive(), () -> "the first trainer ended early: " + log(dir.resolve("first.log")));
            assertTrue(Files.readString(RunLock.file(run)).startsWith(first.pid() + "\n"));

            // the second trainer, another process: refused with status 2, the directory and the first one's PID
            Process second = startVit(dir.resolve("second.log"), "train", "--resume", "--out", run.toString());
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String err = log(dir.resolve("second.log"));
            assertTrue(first.isAlive(), "precondition: the first trainer still runs when the second one ends");
            assertEquals(2, second.exitValue(), err);
            assertTrue(err.contains("vit train: error: run directory " + run + " is in use"), err);
            assertTrue(err.contains("process " + first.pid()), err);

            assertTrue(first.waitFor(120, TimeUnit.SECONDS), "the first trainer finishes");
            assertEquals(0, first.exitValue(), () -> log(dir.resolve("first.log")));
        } finally {
            first.destroyForcibly();
        }
        List<Integer> epochs = MetricsWriter.read(new RunDirectory(run).metricsJsonl()).stream()
                .map(m -> ((Number) m.get("epoch")).intValue()).toList();
        assertEquals(List.of(1, 2, 3, 4, 5), epochs, "one run's metrics, in order");
        assertFalse(Files.exists(RunLock.file(run)));

        // and the reverse: while this JVM holds the lock, a trainer process is refused naming this PID
        try (RunLock held = RunLock.acquire(run)) {
            Process third = startVit(dir.resolve("third.log"), "train", "--resume", "--out", run.toString(), "--set", "train.epochs=6");
            assertTrue(third.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, third.exitValue());
            assertTrue(log(dir.resolve("third.log")).contains("process " + ProcessHandle.current().pid()));
        }
    }

    @Test
    void reentrantForItsThreadRefusedForAnotherAndGoneWhenReleased() throws Exception {
        Path run = dir.resolve("r");
        try (RunLock outer = RunLock.acquire(run)) {
            try (RunLock inner = RunLock.acquire(run)) {
                assertSame(outer, inner);
            }
            assertTrue(Files.exists(RunLock.file(run)), "still held by the outer hold");
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try (RunLock l = RunLock.acquire(run)) {
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable t = other.get(30, TimeUnit.SECONDS);
            assertTrue(t instanceof RunLock.RunLockedException, String.valueOf(t));
            assertTrue(t.getMessage().contains("this process"), t.getMessage());
            // the lock file alone is no run: a new run may start in the directory
            assertEquals(false, RunDirectory.check(run, false, false));
        }
        assertFalse(Files.exists(RunLock.file(run)));
        assertEquals(List.of(), Vit.files(run));
    }

    // ---- child processes ----

    private Process startHolder(Path run) throws IOException {
        return new ProcessBuilder(java(RunLockHolder.class.getName(), run.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads the holder's first line, "locked PID", and returns the PID. */
    private static long awaitLocked(Process holder) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        String l = line.get(60, TimeUnit.SECONDS);
        assertTrue(l != null && l.startsWith("locked "), "holder said: " + l);
        long pid = Long.parseLong(l.substring("locked ".length()).trim());
        assertEquals(holder.pid(), pid);
        return pid;
    }

    private Process startVit(Path log, String... args) throws IOException {
        List<String> cmd = java("io.vitlens.training.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    static {
        // keep the child JVMs from outliving a failed test
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    }
}
