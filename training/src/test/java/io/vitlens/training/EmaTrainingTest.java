package io.vitlens.training;

import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.EmaEntry;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The weight average (train.ema-decay) inside real runs of the tiny model of {@link TrainerTest}. */
class EmaTrainingTest {
    private static final String EMA = "train.ema-decay=0.9";

    private static RunDirectory train(Path dir, String name, String... extra) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve(name), false, false);
        new Trainer(TrainerTest.tiny(extra), run, null).run(false);
        return run;
    }

    /** metrics.jsonl without wall-clock fields. */
    private static List<Map<String, Object>> metrics(RunDirectory run) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> line : MetricsWriter.read(run.metricsJsonl())) {
            Map<String, Object> m = new LinkedHashMap<>(line);
            m.remove("imagesPerSecond");
            m.remove("epochSeconds");
            out.add(m);
        }
        return out;
    }

    private static float[] params(Path checkpoint) throws Exception {
        return CheckpointIO.read(checkpoint, true).graph().params().toFloatVector();
    }

    @Test
    void theAverageChangesNoRawWeightOrMetricAndAddsItsOwnEvaluation(@TempDir Path dir) throws Exception {
        RunDirectory off = train(dir, "off"), zero = train(dir, "zero", "train.ema-decay=0"), on = train(dir, "on", EMA);
        assertArrayEquals(params(off.checkpoint(3)), params(zero.checkpoint(3)), 0f);
        assertArrayEquals(params(off.checkpoint(3)), params(on.checkpoint(3)), 0f, "the average never feeds back into training");
        assertEquals(metrics(off), metrics(zero), "decay 0: metrics.jsonl as before");
        assertTrue(CheckpointIO.readEma(zero.checkpoint(3)).isEmpty(), "decay 0 stores no average");
        assertEquals(Files.readAllLines(off.metricsCsv()).get(0), Files.readAllLines(zero.metricsCsv()).get(0));

        List<Map<String, Object>> withEma = metrics(on);
        for (int e = 0; e < 3; e++) {
            Map<String, Object> line = new LinkedHashMap<>(withEma.get(e));
            double acc = ((Number) line.remove("emaTestAccuracy")).doubleValue();
            double loss = ((Number) line.remove("emaTestLoss")).doubleValue();
            assertTrue(acc >= 0 && acc <= 1 && loss > 0, "epoch " + (e + 1) + ": " + acc + ", " + loss);
            assertEquals(metrics(off).get(e), line, "the raw model's fields are unchanged, epoch " + (e + 1));
        }
        assertTrue(Files.readAllLines(on.metricsCsv()).get(0).endsWith(",ema_test_loss,ema_test_accuracy"));

        // 3 epochs of 8 steps; the average differs from the raw weights, and export/eval can load it into the model
        EmaEntry stored = CheckpointIO.readEma(on.checkpoint(3)).orElseThrow();
        assertEquals(24, stored.updates());
        assertEquals(0.9, stored.decay());
        assertEquals(0, CheckpointIO.readEma(on.checkpoint(0)).orElseThrow().updates());
        assertArrayEquals(params(on.checkpoint(0)), CheckpointIO.readEma(on.checkpoint(0)).orElseThrow().values(), 0f,
                "the average starts at the initial weights");
        Checkpoint cp = CheckpointIO.read(on.checkpoint(3), false);
        assertFalse(java.util.Arrays.equals(stored.values(), cp.graph().params().toFloatVector()));
        stored.loadInto(cp.graph());
        assertArrayEquals(stored.values(), cp.graph().params().toFloatVector(), 0f);
    }

    @Test
    void resumeWithTheAverageOnIsBitIdentical(@TempDir Path dir) throws Exception {
        RunDirectory full = train(dir, "full", EMA, "train.eval-images=32");
        RunDirectory part = train(dir, "part", EMA, "train.eval-images=32");
        Files.delete(part.checkpoint(3));
        Files.delete(part.checkpoint(2));
        new Trainer(TrainerTest.tiny(EMA, "train.eval-images=32"), part, null).run(true);

        assertArrayEquals(params(full.checkpoint(3)), params(part.checkpoint(3)), 0f, "raw weights");
        EmaEntry a = CheckpointIO.readEma(full.checkpoint(3)).orElseThrow(), b = CheckpointIO.readEma(part.checkpoint(3)).orElseThrow();
        assertArrayEquals(a.values(), b.values(), 0f, "averaged weights");
        assertEquals(a.updates(), b.updates());
        assertEquals(metrics(full), metrics(part), "metrics, the average's included");
    }

    @Test
    void aRunWithoutAnAverageResumesWithOneStartingAtItsWeights(@TempDir Path dir) throws Exception {
        RunDirectory run = train(dir, "run", "train.epochs=1");
        new Trainer(TrainerTest.tiny("train.epochs=2", EMA), run, null).run(true);
        assertTrue(CheckpointIO.readEma(run.checkpoint(1)).isEmpty());
        assertEquals(8, CheckpointIO.readEma(run.checkpoint(2)).orElseThrow().updates());
        List<Map<String, Object>> m = metrics(run);
        assertFalse(m.get(0).containsKey("emaTestAccuracy"));
        assertTrue(m.get(1).containsKey("emaTestAccuracy"));
    }

    @Test
    void badDecaysAreRefusedByName() {
        for (String bad : List.of("train.ema-decay=1", "train.ema-decay=-0.1", "train.ema-decay=1.5")) {
            ConfigException e = assertThrows(ConfigException.class, () -> TrainerTest.tiny(bad));
            assertTrue(e.getMessage().contains("train.ema-decay") && e.getMessage().contains("[0, 1)"), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> TrainerTest.tiny(EMA, "train.workers=2"));
        assertTrue(e.getMessage().contains("train.ema-decay") && e.getMessage().contains("train.workers"), e.getMessage());
        ExperimentConfig ok = TrainerTest.tiny("train.ema-decay=0.9998");
        assertEquals(0.9998, ok.train().emaDecay());
    }
}
