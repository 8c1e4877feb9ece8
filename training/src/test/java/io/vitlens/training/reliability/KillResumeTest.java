package io.vitlens.training.reliability;

import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kill -9} of a real {@code vit train} process at seeded random moments and inside a checkpoint write,
 * then {@code --resume}: every checkpoint on disk stays readable, the run continues from the last complete one,
 * and the final weights, optimiser state and metrics equal those of an uninterrupted run with the same seed.
 */
class KillResumeTest {
    static final int EPOCHS = 10;
    /** Temporary file of an atomic checkpoint write: .epoch-003.zip.123456.tmp */
    static final Pattern CHECKPOINT_TMP = Pattern.compile("\\.epoch-\\d{3}\\.zip\\..*\\.tmp");

    @TempDir Path dir;

    /** What one kill did, for the report. */
    record Kill(String how, boolean inCheckpointWrite, List<Integer> checkpointsAfter) {}

    @Test
    void killedRunsResumeToTheWeightsOfAnUninterruptedRun() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML.replace("epochs: 3", "epochs: " + EPOCHS)
                + "  eval-images: 32\n");
        Path ref = dir.resolve("ref"), run = dir.resolve("run");
        long t0 = System.nanoTime();

        assertEquals(0, finish(start("train", "--config", config.toString(), "--out", ref.toString()), ref));

        Random rnd = new Random(9L);
        List<Kill> kills = new ArrayList<>();
        // kill 1: at a random moment after training started (the initial checkpoint exists)
        Process p = start("train", "--config", config.toString(), "--out", run.toString());
        kills.add(killAfterRandomDelay(p, run, rnd));
        checkIntact(run);
        // kill 2 (up to 3 tries): the moment a checkpoint's temporary file appears, i.e. inside its write
        for (int attempt = 0; attempt < 3 && kills.stream().noneMatch(Kill::inCheckpointWrite); attempt++) {
            kills.add(killInsideCheckpointWrite(start("train", "--resume", "--out", run.toString()), run));
            checkIntact(run);
        }
        // kill 3: another random moment of a resumed run
        kills.add(killAfterRandomDelay(start("train", "--resume", "--out", run.toString()), run, rnd));
        checkIntact(run);

        assertEquals(0, finish(start("train", "--resume", "--out", run.toString()), run));
        checkIntact(run);
        System.out.println("kill/resume: " + kills + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(kills.stream().anyMatch(Kill::inCheckpointWrite), "one kill must land inside a checkpoint write: " + kills);
        assertTrue(kills.stream().filter(k -> !k.checkpointsAfter().isEmpty()).count() >= 3, "three kills mid-run: " + kills);

        RunDirectory a = new RunDirectory(ref), b = new RunDirectory(run);
        assertEquals(a.checkpointEpochs(), b.checkpointEpochs());
        assertNoTemporaryFiles(run);
        Checkpoint ca = CheckpointIO.read(a.checkpoint(EPOCHS), true), cb = CheckpointIO.read(b.checkpoint(EPOCHS), true);
        assertArrayEquals(ca.graph().params().toFloatVector(), cb.graph().params().toFloatVector(), 0f, "final weights");
        assertArrayEquals(ca.graph().getUpdater().getStateViewArray().toFloatVector(),
                cb.graph().getUpdater().getStateViewArray().toFloatVector(), 0f, "final Adam state");
        assertEquals(ca.meta().step(), cb.meta().step());
        assertEquals(withoutTiming(MetricsWriter.read(a.metricsJsonl())), withoutTiming(MetricsWriter.read(b.metricsJsonl())));
        assertEquals(csvWithoutTiming(a.metricsCsv()), csvWithoutTiming(b.metricsCsv()));
    }

    // ---- kills ----

    /**
     * Waits until this process has written 1 to 2 new checkpoints (seeded), then a seeded random 0..400 ms
     * (an epoch of the tiny run takes about that long), then SIGKILL: somewhere mid-epoch or mid-write.
     */
    private Kill killAfterRandomDelay(Process p, Path run, Random rnd) throws Exception {
        int latest = new RunDirectory(run).latestCheckpointEpoch().orElse(-1);
        int target = latest + 1 + rnd.nextInt(2);
        int delay = rnd.nextInt(400);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (new RunDirectory(run).latestCheckpointEpoch().orElse(-1) < target && p.isAlive()) {
            if (System.nanoTime() > deadline) fail("no checkpoint " + target + " within 60 s: " + output(p));
            Thread.sleep(2);
        }
        Thread.sleep(delay);
        boolean alive = p.isAlive();
        kill9(p);
        return new Kill(alive ? delay + " ms after checkpoint " + target : "after checkpoint " + target + " (process had already finished)", false,
                new RunDirectory(run).checkpointEpochs());
    }

    /** SIGKILL the moment a checkpoint's temporary file is created; in the write if that file is then still there. */
    private Kill killInsideCheckpointWrite(Process p, Path run) throws Exception {
        Path checkpoints = new RunDirectory(run).checkpoints();
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            checkpoints.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && System.nanoTime() < deadline) {
                WatchKey key = ws.poll(5, TimeUnit.MILLISECONDS);
                if (key == null) continue;
                for (WatchEvent<?> e : key.pollEvents()) {
                    Path name = (Path) e.context();
                    if (name != null && CHECKPOINT_TMP.matcher(name.toString()).matches()) {
                        kill9(p);
                        // the rename had not happened when the process died: a half-written temporary file is left
                        boolean inWrite = Files.exists(checkpoints.resolve(name));
                        return new Kill("on " + name, inWrite, new RunDirectory(run).checkpointEpochs());
                    }
                }
                key.reset();
            }
        }
        kill9(p);
        return new Kill("no checkpoint write seen", false, new RunDirectory(run).checkpointEpochs());
    }

    private static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();   // SIGKILL on Unix: no shutdown hooks, no finally blocks
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed process ended");
    }

    // ---- invariants after every kill ----

    /** Every complete checkpoint reads, with its updater; metrics lines parse but for at most a cut last line. */
    private static void checkIntact(Path run) throws IOException {
        RunDirectory rd = new RunDirectory(run);
        ConfigLoader.load(rd.config(), List.of());
        for (int e : rd.checkpointEpochs()) {
            Checkpoint cp = CheckpointIO.read(rd.checkpoint(e), true);
            assertEquals(e, cp.meta().epoch());
            assertEquals(8L * e, cp.meta().step(), "256 images / 32 per batch = 8 steps per epoch");
        }
        if (Files.exists(rd.metricsJsonl())) {
            List<String> lines = Files.readAllLines(rd.metricsJsonl(), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size() - 1; i++) ModelFiles.JSON.readTree(lines.get(i));   // all but the last are whole
        }
    }

    private static void assertNoTemporaryFiles(Path run) {
        List<Path> tmp = Vit.files(run).stream().filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        assertEquals(List.of(), tmp, "the resume removed the interrupted writes' temporary files");
    }

    private static List<Map<String, Object>> withoutTiming(List<Map<String, Object>> lines) {
        for (Map<String, Object> m : lines) {
            m.remove("imagesPerSecond");
            m.remove("epochSeconds");
        }
        return lines;
    }

    private static List<String> csvWithoutTiming(Path csv) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        List<String> header = List.of(rows.get(0).split(","));
        int ips = header.indexOf("images_per_second"), secs = header.indexOf("epoch_seconds");
        assertTrue(ips >= 0 && secs >= 0, rows.get(0));
        List<String> out = new ArrayList<>();
        for (String r : rows) {
            String[] f = r.split(",");
            f[ips] = "";
            f[secs] = "";
            out.add(String.join(",", f));
        }
        return out;
    }

    // ---- child processes ----

    /** {@code vit ARGS} in a fresh JVM with the test classpath, single-threaded native math (as CI runs it). */
    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "io.vitlens.training.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        logs.put(p, pb.redirectOutput().file());
        return p;
    }

    private final Map<Process, File> logs = new java.util.HashMap<>();

    private int finish(Process p, Path run) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            kill9(p);
            fail("vit train on " + run + " did not finish in 120 s: " + output(p));
        }
        if (p.exitValue() != 0) fail("vit train on " + run + " exited " + p.exitValue() + ": " + output(p));
        return p.exitValue();
    }

    private String output(Process p) throws IOException {
        String s = Files.readString(logs.get(p).toPath());
        return s.substring(Math.max(0, s.length() - 3000));
    }

    static {
        // keep the child JVMs from outliving a failed test
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    }
}
