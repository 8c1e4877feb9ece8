package io.vitlens.training;

import io.vitlens.core.model.kernels.KernelChooser;
import io.vitlens.core.model.kernels.MachineFingerprint;
import io.vitlens.training.checkpoint.CheckpointIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer records which implementation every product family ran on (metrics.jsonl "kernels" and the run's
 * kernels.json), and a resumed run keeps the first part's choices although this process would choose otherwise,
 * so it ends on the same bits as an uninterrupted run.
 */
class KernelChoiceRecordingTest {

    @AfterEach
    void restore() {
        KernelChooser.install(null);
    }

    /** A process-wide chooser that times {@code fast} as the faster implementation for every shape. */
    private static void prefer(String fast) {
        KernelChooser.install(new KernelChooser((key, impl, run) -> {
            run.run();
            return impl.equals(fast) ? 1.0 : 2.0;
        }, null, new MachineFingerprint(Map.of("test", fast))));
    }

    @Test
    void choicesAreRecordedAndPinnedOnResume(@TempDir Path dir) throws Exception {
        prefer(KernelChooser.OPENBLAS);
        RunDirectory full = RunDirectory.prepare(dir.resolve("full"), false, false);
        new Trainer(TrainerTest.tiny("train.epochs=2"), full, null).run(false);

        RunDirectory part = RunDirectory.prepare(dir.resolve("part"), false, false);
        new Trainer(TrainerTest.tiny("train.epochs=2"), part, null).run(false);
        Files.delete(part.checkpoint(2));

        List<Map<String, Object>> lines = MetricsWriter.read(part.metricsJsonl());
        @SuppressWarnings("unchecked") Map<String, String> epoch1 = (Map<String, String>) lines.get(0).get("kernels");
        // dim 32, mlp 64, 2 heads of 16: qkv, proj, fc1, fc2 in all four linear families + both attention ones
        assertTrue(epoch1.size() >= 6, "choices recorded: " + epoch1);
        assertTrue(epoch1.keySet().stream().anyMatch(k -> k.startsWith("linear.weightGrad@")), epoch1.toString());
        assertTrue(epoch1.keySet().stream().anyMatch(k -> k.startsWith("attention.backward@")), epoch1.toString());
        assertEquals(List.of("openblas"), epoch1.values().stream().distinct().toList());
        String recorded = Files.readString(part.root().resolve("kernels.json"));
        for (String k : epoch1.keySet()) assertTrue(recorded.contains(k), k + " in kernels.json: " + recorded);

        // this process would now choose the vector loops everywhere; the resumed run must not
        prefer(KernelChooser.VECTOR);
        new Trainer(TrainerTest.tiny("train.epochs=2"), part, null).run(true);
        lines = MetricsWriter.read(part.metricsJsonl());
        @SuppressWarnings("unchecked") Map<String, String> epoch2 = (Map<String, String>) lines.get(1).get("kernels");
        for (Map.Entry<String, String> e : epoch1.entrySet())
            assertEquals("openblas", epoch2.get(e.getKey()), "pinned " + e.getKey());
        assertArrayEquals(CheckpointIO.read(full.checkpoint(2), true).graph().params().toFloatVector(),
                CheckpointIO.read(part.checkpoint(2), true).graph().params().toFloatVector(), 0f, "same bits");

        // a fresh run (new chooser: pins stay in the process that resumed) takes the vector loops, and its
        // weights differ in the last bits
        prefer(KernelChooser.VECTOR);
        RunDirectory other = RunDirectory.prepare(dir.resolve("other"), false, false);
        new Trainer(TrainerTest.tiny("train.epochs=2"), other, null).run(false);
        @SuppressWarnings("unchecked") Map<String, String> otherKernels =
                (Map<String, String>) MetricsWriter.read(other.metricsJsonl()).get(0).get("kernels");
        assertEquals(List.of("vector"), otherKernels.values().stream().distinct().toList());
        assertFalse(java.util.Arrays.equals(CheckpointIO.read(full.checkpoint(2), true).graph().params().toFloatVector(),
                CheckpointIO.read(other.checkpoint(2), true).graph().params().toFloatVector()),
                "the two implementations round differently (else pinning would not matter)");
    }

    @Test
    void aDamagedRecordIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        prefer(KernelChooser.OPENBLAS);
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        new Trainer(TrainerTest.tiny("train.epochs=1"), run, null).run(false);
        Path file = run.root().resolve("kernels.json");
        Files.writeString(file, "{\"linear.forward@64x96x32\": \"gpu\"}");
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainerTest.tiny("train.epochs=2"), run, null).run(true));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'gpu'"), e.getMessage());
    }
}
