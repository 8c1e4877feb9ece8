package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.TransformerBlockLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** style.md habit 9: NaN-free forward, gradients reaching every parameter, and the model can learn. */
class GradientFlowTest {

    @Test
    void everyParameterGetsAGradientExceptTheKeyBias() {
        for (ViTConfig cfg : Variants.all()) {
            ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(3, new Adam(1e-3), 0.0, DataType.DOUBLE));
            g.setInputs(TestModels.images(cfg, 4, 1, DataType.DOUBLE));
            g.setLabels(TestModels.labels(cfg, 4, 2, DataType.DOUBLE));
            g.computeGradientAndScore();
            Map<String, INDArray> grads = g.gradient().gradientForVariable();
            assertEquals(g.paramTable().keySet(), grads.keySet(), Variants.name(cfg));
            for (Map.Entry<String, INDArray> e : grads.entrySet()) {
                INDArray grad = e.getValue().dup();
                String where = Variants.name(cfg) + " " + e.getKey();
                assertFalse(grad.isNaN().any() || grad.isInfinite().any(), where);
                if (e.getKey().endsWith("qkvb")) {
                    checkQkvBias(grad, cfg, where);
                } else {
                    assertTrue(grad.norm2Number().doubleValue() > 0, "zero gradient: " + where);
                }
            }
        }
    }

    /** Q (and V) bias sections get gradient; the K bias section's true gradient is 0 (softmax ignores shifts). */
    private static void checkQkvBias(INDArray grad, ViTConfig cfg, String where) {
        TransformerBlockLayer c = new TransformerBlockLayer("b", cfg, 0);
        long d = cfg.dim();
        double q = section(grad, 0, d).norm2Number().doubleValue();
        assertTrue(q > 0, "query bias: " + where);
        if (!cfg.tieQk()) {
            double k = section(grad, c.keySection(), d).amaxNumber().doubleValue();
            assertTrue(k <= 1e-12 * q, "key bias gradient " + k + " vs query " + q + ": " + where);
        }
        if (c.valueSection() >= 0)
            assertTrue(section(grad, c.valueSection(), d).norm2Number().doubleValue() > 0, "value bias: " + where);
    }

    private static INDArray section(INDArray v, int s, long d) {
        return v.get(NDArrayIndex.interval(s * d, (s + 1) * d));
    }

    @Test
    void forwardHasNoNaNEvenForLargeInputs() {
        for (ViTConfig cfg : Variants.all()) {
            ComputationGraph g = ViTGraph.create(cfg, TrainSettings.inference(5));
            TestModels.randomize(g, 6);
            INDArray out = g.outputSingle(TestModels.images(cfg, 3, 7, DataType.FLOAT).mul(1000));
            assertFalse(out.isNaN().any() || out.isInfinite().any(), Variants.name(cfg));
            INDArray rowSums = out.sum(1);
            for (int i = 0; i < 3; i++) assertEquals(1.0, rowSums.getDouble(i), 1e-5);
        }
    }

    @Test
    void overfitsOneBatch() {
        ViTConfig cfg = TestModels.tiny().withRegularisation(0.1, 0.1);
        ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(8, new Adam(1e-2), 1e-4, DataType.FLOAT));
        MultiDataSet batch = new MultiDataSet(TestModels.images(cfg, 8, 9, DataType.FLOAT),
                TestModels.labels(cfg, 8, 10, DataType.FLOAT));
        double first = g.score(batch);
        for (int i = 0; i < 60; i++) g.fit(batch);
        double last = g.score(batch);
        assertTrue(last < 0.25 * first, "loss " + first + " -> " + last);
        assertFalse(Double.isNaN(last));
        assertTrue(Nd4j.argMax(g.outputSingle(batch.getFeatures(0)), 1)
                .equals(Nd4j.argMax(batch.getLabels(0), 1)), "memorised the batch");
    }
}
