package io.vitlens.training.ema;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WeightEmaTest {
    @Test
    void decayWarmsUpAsTheRunningMeanThenStaysAtTheConfiguredValue() {
        assertEquals(0.5, WeightEma.decayAt(0.9, 1));
        assertEquals(2 / 3.0, WeightEma.decayAt(0.9, 2), 1e-15);
        assertEquals(0.9, WeightEma.decayAt(0.9, 9), 1e-15);   // 9/10: the window reaches 1/(1 - 0.9) at step 9
        assertEquals(0.9, WeightEma.decayAt(0.9, 1000));
        assertEquals(0.9998, WeightEma.decayAt(0.9998, 1_000_000));
    }

    @Test
    void firstStepsAreThePlainMeanOfTheWeightsSoFar() {
        WeightEma ema = WeightEma.startingAt(Nd4j.createFromArray(1f, 10f), 0.99);
        ema.update(Nd4j.createFromArray(3f, 20f));
        ema.update(Nd4j.createFromArray(5f, 30f));
        assertArrayEquals(new float[]{3f, 20f}, ema.params().toFloatVector(), 1e-6f);   // (1+3+5)/3, (10+20+30)/3
        assertEquals(2, ema.updates());
    }

    /** k optimiser steps of a tiny ViT: the average equals the recurrence computed by hand, in double, from the weights after each step. */
    @Test
    void averageAfterKStepsOfATinyModelIsTheHandComputedRecurrence() {
        double decay = 0.6;   // small, so that both the warm-up (k = 1) and the plain decay (k >= 2) are exercised
        ComputationGraph g = ViTGraph.create(ViTConfig.of(8, 3, 4, 8, 1, 2, 16, 3),
                new TrainSettings(5, new Adam(0.01), 0.05, DataType.FLOAT));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1.0);

        List<double[]> weights = new ArrayList<>();
        weights.add(g.params().toDoubleVector());
        WeightEma ema = WeightEma.startingAt(g.params(), decay);
        int k = 6;
        for (int step = 0; step < k; step++) {
            g.fit(new DataSet(x, y));
            ema.update(g.params());
            weights.add(g.params().toDoubleVector());
        }
        double[] expected = weights.get(0).clone();
        for (int s = 1; s <= k; s++) {
            double d = Math.min(decay, s / (s + 1.0));
            for (int i = 0; i < expected.length; i++) expected[i] = d * expected[i] + (1 - d) * weights.get(s)[i];
        }
        double[] actual = ema.params().toDoubleVector();
        assertEquals(expected.length, actual.length);
        double maxErr = 0, maxMove = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(expected[i] - actual[i]));
            maxMove = Math.max(maxMove, Math.abs(weights.get(k)[i] - weights.get(0)[i]));
        }
        assertTrue(maxMove > 1e-3, "training moved the weights: " + maxMove);
        assertTrue(maxErr < 1e-6, "float32 average vs double recurrence: max error " + maxErr);
        assertEquals(k, ema.updates());
    }

    @Test
    void decayOutsideTheOpenUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WeightEma.startingAt(Nd4j.zeros(3), 0));
        assertThrows(IllegalArgumentException.class, () -> WeightEma.startingAt(Nd4j.zeros(3), 1));
    }
}
