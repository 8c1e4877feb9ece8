package io.vitlens.training;

import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.learning.config.Adam;
import io.vitlens.core.model.WarmupCosineSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    /** A tiny model on a small synthetic set: seconds per epoch on 2 cores. */
    static ExperimentConfig tiny(String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "model.image-size=16", "model.patch-size=4", "model.dim=32", "model.depth=2", "model.heads=2",
                "model.mlp-dim=64", "model.num-classes=4",
                "data.dataset=synthetic-shapes", "data.batch-size=32",
                "data.synthetic.train-size=256", "data.synthetic.test-size=64", "data.synthetic.num-classes=4",
                "train.epochs=3", "train.warmup-epochs=1", "train.lr=0.003"));
        o.addAll(List.of(extra));
        return ConfigLoader.parse("name: tiny\nseed: 11\n", "test", o);
    }

    @Test
    void lossFallsAndFilesAreWritten(@TempDir Path dir) throws Exception {
        // one batch of 64 images seen 20 times: the loss must fall well below its starting value (ln 4)
        ExperimentConfig cfg = tiny("train.epochs=20", "train.warmup-epochs=2", "train.checkpoint-every=5",
                "data.batch-size=64", "data.synthetic.train-size=64", "train.label-smoothing=0");
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        List<EpochMetrics> epochs = new ArrayList<>();
        new Trainer(cfg, run, new Trainer.Observer() {
            @Override public void epochEnd(EpochMetrics m) { epochs.add(m); }
        }).run(false);
        assertEquals(20, epochs.size());
        assertTrue(epochs.get(19).trainLoss() < epochs.get(0).trainLoss() - 0.1,
                "train loss should fall: " + epochs.get(0).trainLoss() + " -> " + epochs.get(19).trainLoss());
        assertEquals(List.of(0, 5, 10, 15, 20), run.checkpointEpochs());
        assertTrue(Files.readString(run.config()).contains("dim: 32"));
        List<Map<String, Object>> lines = MetricsWriter.read(run.metricsJsonl());
        assertEquals(20, lines.size());
        @SuppressWarnings("unchecked") Map<String, Object> norms = (Map<String, Object>) lines.get(0).get("gradNorms");
        for (String g : List.of("patch_embed", "pos_embed", "cls_token", "blocks.0.attn.q", "blocks.0.attn.k",
                "blocks.0.attn.v", "blocks.1.attn.q", "head"))
            assertTrue(((Number) norms.get(g)).doubleValue() > 0, "gradient norm of " + g + " in " + norms);
        assertEquals(21, Files.readAllLines(run.metricsCsv()).size());   // header + 20 epochs
    }

    @Test
    void resumeReachesTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = tiny("data.augmentation.crop-padding=2", "data.augmentation.horizontal-flip=true");
        RunDirectory full = RunDirectory.prepare(dir.resolve("full"), false, false);
        new Trainer(cfg, full, null).run(false);

        // the same run stopped after epoch 1 (as if killed), then resumed
        RunDirectory part = RunDirectory.prepare(dir.resolve("part"), false, false);
        new Trainer(tiny("data.augmentation.crop-padding=2", "data.augmentation.horizontal-flip=true", "train.epochs=3"),
                part, null).run(false);
        Files.delete(part.checkpoint(3));
        Files.delete(part.checkpoint(2));
        new Trainer(cfg, part, null).run(true);

        INDArray a = CheckpointIO.read(full.checkpoint(3), true).graph().params();
        INDArray b = CheckpointIO.read(part.checkpoint(3), true).graph().params();
        assertArrayEquals(a.toFloatVector(), b.toFloatVector(), 0f);
        assertEquals(MetricsWriter.read(full.metricsJsonl()).size(), MetricsWriter.read(part.metricsJsonl()).size());
    }

    @Test
    void extendingAFinishedRunReplansTheScheduleOverTheNewEpochs(@TempDir Path dir) throws Exception {
        // 8 steps per epoch (256 images / 32); a 1-epoch run ends at min-lr, extending it to 3 epochs must
        // continue on the cosine over 24 steps, not at the 1-epoch schedule's floor
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        new Trainer(tiny("train.epochs=1", "train.warmup-epochs=0.5"), run, null).run(false);
        new Trainer(tiny("train.epochs=3", "train.warmup-epochs=0.5"), run, null).run(true);

        ComputationGraph g = CheckpointIO.read(run.checkpoint(3), true).graph();
        ISchedule s = ((Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) g.getLayer("head").conf().getLayer())
                .getIUpdater()).getLearningRateSchedule();
        WarmupCosineSchedule expected = new WarmupCosineSchedule(0.003, 1e-5, 4, 24);
        for (int step : new int[]{8, 12, 20}) assertEquals(expected.valueAt(step, 0), s.valueAt(step, 0), 1e-12, "lr at step " + step);
        assertTrue(s.valueAt(8, 0) > 0.002, "the rate at the first resumed step is near the peak, not the floor");
        for (String layer : new String[]{"patchEmbed", "block0", "norm"})
            assertEquals(expected, ((Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) g.getLayer(layer).conf().getLayer())
                    .getIUpdater()).getLearningRateSchedule(), layer);
    }

    @Test
    void sameSeedSameWeights(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = tiny("train.epochs=1");
        RunDirectory a = RunDirectory.prepare(dir.resolve("a"), false, false);
        RunDirectory b = RunDirectory.prepare(dir.resolve("b"), false, false);
        new Trainer(cfg, a, null).run(false);
        new Trainer(cfg, b, null).run(false);
        Checkpoint ca = CheckpointIO.read(a.checkpoint(1), true);
        Checkpoint cb = CheckpointIO.read(b.checkpoint(1), true);
        assertArrayEquals(ca.graph().params().toFloatVector(), cb.graph().params().toFloatVector(), 0f);
        assertArrayEquals(ca.graph().getUpdater().getStateViewArray().toFloatVector(),
                cb.graph().getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    @Test
    void twoWorkersTrainToANormalCheckpoint(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = tiny("train.epochs=2", "train.workers=2");
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        EpochMetrics last = new Trainer(cfg, run, null).run(false);
        assertEquals(2, last.epoch());
        assertEquals(8, last.step());            // 8 batches per epoch, 2 averaged in each of 4 rounds
        Checkpoint cp = CheckpointIO.read(run.checkpoint(2), true);
        assertEquals(cfg.vit(), cp.vit());
        assertEquals(8, cp.graph().getIterationCount());
        assertTrue(Double.isFinite(last.trainLoss()));
    }

    @Test
    void existingRunIsRefusedWithoutResumeOrOverwrite(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.yaml"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.prepare(out, false, false));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        RunDirectory.prepare(out, false, true);
        assertTrue(Files.isDirectory(out.resolve("checkpoints")));
        assertTrue(!Files.exists(out.resolve("config.yaml")));
    }

    @Test
    void checkpointCarriesEverythingToRebuildTheRun(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = tiny("train.epochs=1");
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        new Trainer(cfg, run, null).run(false);
        Checkpoint cp = CheckpointIO.read(run.checkpoint(1), true);
        assertEquals(1, cp.meta().epoch());
        assertEquals(8, cp.meta().step());          // 256 images / 32 per batch
        assertEquals(11, cp.meta().seed());
        assertEquals(cfg.vit(), cp.vit());
        assertEquals(4, cp.normalization().classNames().size());
        assertEquals(3, cp.normalization().mean().length);
        assertTrue(cp.meta().testAccuracy() >= 0);
        assertEquals(8, cp.graph().getIterationCount());
    }
}
