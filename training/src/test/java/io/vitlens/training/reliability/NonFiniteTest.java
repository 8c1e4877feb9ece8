package io.vitlens.training.reliability;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.NonFiniteException;
import io.vitlens.training.ParameterGroups;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.listeners.GradientMonitor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN / Inf during training: the run stops with exit status 3, says where, and keeps the last good checkpoint. */
class NonFiniteTest {
    @TempDir Path dir;

    @Test
    void absurdLearningRateStopsTheRunWithStatus3AndKeepsTheLastGoodCheckpoint() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML);
        Path run = dir.resolve("run");
        // a constant rate of 300 after 2 warmup epochs: Adam moves every weight by up to 300 per step, so the
        // activations overflow after a few epochs (epoch 3 for this seed), not at once
        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", run.toString(), "--set", "train.epochs=4",
                "--set", "train.lr=300", "--set", "train.min-lr=300", "--set", "train.warmup-epochs=2");

        assertEquals(3, r.status(), r::toString);
        Vit.assertNoStackTrace(r);
        List<String> lines = r.err().lines().filter(l -> l.startsWith("vit train: training stopped: ")).toList();
        assertEquals(1, lines.size(), r::toString);
        String msg = lines.get(0);
        Matcher m = Pattern.compile("parameter group '([^']+)' became (NaN|-?Infinity) at epoch (\\d+), step (\\d+) "
                + "\\(first in model order; (\\d+) of 17 groups non-finite: ([^)]+)").matcher(msg);
        assertTrue(m.find(), msg);
        int epoch = Integer.parseInt(m.group(3)), step = Integer.parseInt(m.group(4));
        assertTrue(m.group(6).startsWith(m.group(1)), "the named group is the first of the list: " + msg);
        assertTrue(epoch >= 2, "at least one epoch trained before the blow-up: " + msg);
        assertTrue(step >= 8 * (epoch - 1) && step < 8 * epoch, "step " + step + " lies in epoch " + epoch + " (8 steps each)");
        Path lastGood = run.resolve(String.format("checkpoints/epoch-%03d.zip", epoch - 1));
        assertTrue(msg.contains("the last complete checkpoint, " + lastGood + ", is kept"), msg);

        RunDirectory rd = new RunDirectory(run);
        assertEquals(java.util.stream.IntStream.range(0, epoch).boxed().toList(), rd.checkpointEpochs(),
                "every epoch before the blow-up, nothing after");
        float[] w = CheckpointIO.read(rd.checkpoint(epoch - 1), true).graph().params().toFloatVector();
        for (float v : w) assertTrue(Float.isFinite(v), "the kept checkpoint holds finite weights");
        assertEquals(epoch - 1, MetricsWriter.read(rd.metricsJsonl()).size(), "no metrics line for the epoch that blew up");
        assertEquals(List.of(), Vit.files(run).stream().filter(f -> f.toString().endsWith(".tmp")).toList());
    }

    @Test
    void resumingWithAnotherLearningRateIsRefusedNotIgnored() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML);
        Path run = dir.resolve("run");
        Vit.Result ok = Vit.run("train", "--config", config.toString(), "--out", run.toString(), "--set", "train.epochs=1",
                "--set", "train.max-batches-per-epoch=1");
        assertEquals(0, ok.status(), ok::toString);
        Vit.Result r = Vit.run("train", "--resume", "--out", run.toString(), "--set", "train.epochs=2", "--set", "train.lr=1e30");
        Vit.assertBadInput(r, "--resume: train.lr is 1.0E30 but the run in " + run + " was started with 0.003", "--overwrite");
        assertEquals(List.of(0, 1), new RunDirectory(run).checkpointEpochs());
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML);
        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", dir.resolve("run").toString(),
                "--set", "train.lr=1e30", "--set", "train.min-lr=1e30", "--set", "train.warmup-epochs=0",
                "--set", "train.max-batches-per-epoch=3", "--debug");
        assertEquals(3, r.status(), r::toString);
        assertTrue(r.err().contains("NonFiniteException") && r.err().contains("\tat "), r::toString);
    }

    @Test
    void theFirstNonFiniteGroupInModelOrderIsNamed() {
        ViTConfig vit = ViTConfig.of(16, 3, 4, 32, 2, 2, 64, 4);
        ComputationGraph g = ViTGraph.create(vit, TrainSettings.inference(3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        INDArray y = Nd4j.eye(4).castTo(DataType.FLOAT);
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        GradientMonitor monitor = new GradientMonitor(ParameterGroups.of(g, vit), 1.0);
        monitor.position(3, 17);
        // one weight of block 1's MLP gets an infinite gradient, one of the head a NaN one
        g.gradient().gradientForVariable().get("block1_fc1W").putScalar(5, Float.POSITIVE_INFINITY);
        g.gradient().gradientForVariable().get("head_W").putScalar(0, Float.NaN);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> monitor.onGradientCalculation(g));
        assertEquals("gradient of parameter group 'blocks.1.mlp' became Infinity at epoch 3, step 17 (first in model "
                + "order; 2 of 17 groups non-finite: blocks.1.mlp, head)", e.getMessage());
        assertFalse(monitor.drainGroupNorms().values().stream().anyMatch(v -> v != 0), "nothing recorded for the bad step");
    }
}
