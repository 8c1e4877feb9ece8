package io.vitlens.training.parallel;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.data.DataConfig;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.data.SyntheticSpec;
import io.vitlens.training.NonFiniteException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelFitTest {
    /** The tiny ViT of the brief: 16x16 RGB, patch 4 (16 patches + CLS), D 32, L 2, H 2, M 64, 4 classes. */
    private static final ViTConfig TINY = ViTConfig.of(16, 3, 4, 32, 2, 2, 64, 4);
    private static final int TRAIN = 256;
    private static final int BATCH = 16;
    private static final int BATCHES = TRAIN / BATCH;   // 16 per epoch
    private static LoadedDataset data;

    @BeforeAll
    static void loadData() throws Exception {
        SyntheticSpec spec = new SyntheticSpec(TRAIN, 64, 3L, 4, 0.50, 0.90, 0.05, 0.40, 0.0);
        data = Datasets.open(new DataConfig("synthetic-shapes", null, 16, BATCH, 0.0, 5L, null, spec, false));
        assertEquals(TRAIN, data.size(Split.TRAIN));
    }

    private static ComputationGraph graph(ViTConfig cfg, IUpdater updater, double weightDecay) {
        return ViTGraph.create(cfg, new TrainSettings(21L, updater, weightDecay, DataType.FLOAT));
    }

    @Test
    void twoWorkersLowerTheLossAndTheGraphSavesAsAPlainDl4jArchive(@TempDir Path dir) throws Exception {
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.05);
        List<Double> losses = new ArrayList<>();
        int epochs = 8;
        for (int e = 1; e <= epochs; e++) {
            EpochResult r = ParallelFit.fitEpoch(g, data.trainIterator(e), 2, null);
            assertEquals(BATCHES, r.batches());
            assertEquals(BATCHES / 2, r.steps(), "one optimiser step per round of two batches");
            assertEquals(TRAIN, r.images());
            losses.add(r.meanLoss());
        }
        assertEquals(epochs * BATCHES / 2, g.getConfiguration().getIterationCount());
        // before any step the head sees ln 4 = 1.386 territory; training must move well below it
        // a 4-class guess is ln 4 = 1.386; the first epoch starts there, training must get clearly below it
        assertTrue(Math.abs(losses.get(0) - Math.log(4)) < 0.05, "first epoch loss " + losses);
        assertTrue(losses.get(epochs - 1) < losses.get(0) - 0.05, "loss should fall over the epochs: " + losses);

        File file = dir.resolve("parallel.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        INDArray x = data.evalIterator(Split.TEST, 16).next().getFeatures();
        assertArrayEquals(g.outputSingle(x).ravel().toFloatVector(), restored.outputSingle(x).ravel().toFloatVector(), 0f);
        assertArrayEquals(g.params().toFloatVector(), restored.params().toFloatVector(), 0f);
        assertArrayEquals(g.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertEquals(g.getConfiguration().getIterationCount(), restored.getConfiguration().getIterationCount());
    }

    @Test
    void aTwoWorkerSgdRoundIsOneStepOnBothBatches() {
        // SGD: the average of w - lr*g1 and w - lr*g2 is w - lr*(g1+g2)/2, and (g1+g2)/2 is the gradient of
        // the mean loss over the union of two equal-sized batches
        DataSet both = data.evalIterator(Split.TRAIN, BATCH).next();
        List<DataSet> halves = both.batchBy(BATCH / 2);
        ComputationGraph parallel = graph(TINY, new Sgd(0.5), 0.0);
        ComputationGraph union = graph(TINY, new Sgd(0.5), 0.0);
        ComputationGraph firstOnly = graph(TINY, new Sgd(0.5), 0.0);
        assertArrayEquals(parallel.params().toFloatVector(), union.params().toFloatVector(), 0f);

        EpochResult r = ParallelFit.fitEpoch(parallel, new ListDataSetIterator<>(halves, 1), 2, null);
        union.fit(both);
        firstOnly.fit(halves.get(0));

        assertEquals(1, r.steps());
        assertEquals(2, r.batches());
        float[] p = parallel.params().toFloatVector();
        float[] u = union.params().toFloatVector();
        float[] f = firstOnly.params().toFloatVector();
        double maxDiffUnion = 0, maxDiffFirst = 0;
        for (int i = 0; i < p.length; i++) {
            maxDiffUnion = Math.max(maxDiffUnion, Math.abs(p[i] - u[i]));
            maxDiffFirst = Math.max(maxDiffFirst, Math.abs(p[i] - f[i]));
        }
        assertTrue(maxDiffUnion < 2e-6, "parallel round vs one step on the union: max |diff| " + maxDiffUnion);
        assertTrue(maxDiffFirst > 1e-3, "the round must include the second worker's batch: " + maxDiffFirst);
    }

    @Test
    void dropoutRunsRepeatBitForBit() {
        ViTConfig withDropout = TINY.withRegularisation(0.1, 0.1);
        float[][] runs = new float[2][];
        for (int k = 0; k < 2; k++) {
            ComputationGraph g = graph(withDropout, new Adam(3e-3), 0.05);
            ParallelFit.fitEpoch(g, data.trainIterator(1), 2, null);
            ParallelFit.fitEpoch(g, data.trainIterator(2), 2, null);
            runs[k] = g.params().toFloatVector();
        }
        assertArrayEquals(runs[0], runs[1], 0f);
    }

    @Test
    void labelPreprocessorReachesEveryWorkersBatch() {
        // against uniform targets the cross-entropy is >= ln K for any prediction (Gibbs' inequality)
        double lnK = Math.log(4);
        List<Double> uniform = new ArrayList<>();
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.0);
        EpochResult r = ParallelFit.fitEpoch(g, data.trainIterator(1), 2,
                ds -> ds.setLabels(ds.getLabels().mul(0).addi(0.25)), 0, (images, loss) -> uniform.add(loss));
        assertEquals(BATCHES, uniform.size());
        for (double l : uniform) assertTrue(l >= lnK - 1e-5, "loss " + l + " against uniform labels below ln 4");
        assertTrue(r.meanLoss() >= lnK - 1e-5);

        List<Double> hard = new ArrayList<>();
        ComputationGraph h = graph(TINY, new Adam(3e-3), 0.0);
        ParallelFit.fitEpoch(h, data.trainIterator(1), 2, null, 0, (images, loss) -> hard.add(loss));
        ParallelFit.fitEpoch(h, data.trainIterator(2), 2, null, 0, (images, loss) -> hard.add(loss));
        assertTrue(hard.stream().mapToDouble(Double::doubleValue).min().orElseThrow() < lnK - 0.02,
                "with one-hot labels the bound does not hold, so the check above can fail: " + hard);
    }

    @Test
    void listenersSeeEveryBatchAndAreTheGraphsAgainAfterwards() {
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.0);
        Counting counting = new Counting();
        g.setListeners(counting);
        List<Long> progress = new ArrayList<>();
        EpochResult r = ParallelFit.fitEpoch(g, data.trainIterator(1), 2, null, 5, (images, loss) -> progress.add(images));
        assertEquals(5, r.batches());
        assertEquals(3, r.steps(), "rounds of 2 + 2 + 1 batches");
        assertEquals(5L * BATCH, r.images());
        assertEquals(5, counting.iterations);
        assertEquals(5, counting.gradients);
        assertEquals(List.of(1L * BATCH, 2L * BATCH, 3L * BATCH, 4L * BATCH, 5L * BATCH), progress);
        assertEquals(1, g.getListeners().size());
        assertSame(counting, g.getListeners().iterator().next());
    }

    @Test
    void cpuThreadsAreSharedAmongWorkersDuringTheEpochOnly() {
        var env = org.nd4j.linalg.factory.Nd4j.getEnvironment();
        var blas = org.nd4j.linalg.factory.Nd4j.factory().blas();
        int master = env.maxMasterThreads(), blasThreads = blas.getMaxThreads();
        List<int[]> seen = new ArrayList<>();
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.0);
        g.setListeners(new BaseTrainingListener() {
            @Override public void iterationDone(Model model, int iteration, int epoch) {
                seen.add(new int[]{env.maxMasterThreads(), blas.getMaxThreads()});
            }
        });
        ParallelFit.fitEpoch(g, data.trainIterator(1), 2, null, 2, null);
        assertEquals(2, seen.size());
        for (int[] s : seen)
            assertArrayEquals(new int[]{Math.max(1, master / 2), Math.max(1, blasThreads / 2)}, s);
        assertArrayEquals(new int[]{master, blasThreads}, new int[]{env.maxMasterThreads(), blas.getMaxThreads()});
    }

    @Test
    void oneWorkerIsThePlainLoop() {
        ComputationGraph viaFit = graph(TINY, new Adam(3e-3), 0.05);
        ComputationGraph plain = graph(TINY, new Adam(3e-3), 0.05);
        EpochResult r = ParallelFit.fitEpoch(viaFit, data.trainIterator(1), 1, null);
        var it = data.trainIterator(1);
        while (it.hasNext()) plain.fit(it.next());
        assertEquals(BATCHES, r.steps());
        assertArrayEquals(plain.params().toFloatVector(), viaFit.params().toFloatVector(), 0f);
    }

    @Test
    void aNonFiniteLossStopsTheEpochWithItsOwnException() {
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.0);
        Counting counting = new Counting();
        g.setListeners(counting);
        List<DataSet> batches = new ArrayList<>();
        var it = data.trainIterator(1);
        for (int i = 0; i < 4; i++) batches.add(it.next());
        batches.get(2).getFeatures().putScalar(0, Float.NaN);
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> ParallelFit.fitEpoch(g, new ListDataSetIterator<>(batches, 1), 2, null));
        assertTrue(e.getMessage().contains("training loss became NaN"), e.getMessage());
        assertSame(counting, g.getListeners().iterator().next());
        // the wrapper's threads are gone and a fresh graph trains normally afterwards
        EpochResult r = ParallelFit.fitEpoch(graph(TINY, new Adam(3e-3), 0.0), data.trainIterator(1), 2, null);
        assertEquals(BATCHES, r.batches());
    }

    @Test
    void badArgumentsAreNamed() {
        ComputationGraph g = graph(TINY, new Adam(3e-3), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParallelFit.fitEpoch(g, data.trainIterator(1), 0, null));
        assertTrue(e.getMessage().startsWith("workers: 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParallelFit.fitEpoch(g, data.trainIterator(1), 2, null, -1, null));
        assertTrue(e.getMessage().startsWith("maxBatches: -1"), e.getMessage());
        assertEquals(4, ParallelFit.stepsPerEpoch(8, 2));
        assertEquals(5, ParallelFit.stepsPerEpoch(9, 2));
        assertEquals(3, ParallelFit.stepsPerEpoch(9, 3));
        assertEquals(0, ParallelFit.stepsPerEpoch(0, 3));
        assertFalse(SeededTrainerContext.workerSeed(7, 0) == SeededTrainerContext.workerSeed(7, 1));
    }

    /** Not thread-safe on purpose: ParallelFit must serialise its calls. */
    private static final class Counting extends BaseTrainingListener {
        int iterations;
        int gradients;

        @Override public void iterationDone(Model model, int iteration, int epoch) { iterations++; }

        @Override public void onGradientCalculation(Model model) { gradients++; }
    }
}
