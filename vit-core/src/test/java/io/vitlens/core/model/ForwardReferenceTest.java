package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DL4J model computes docs/model-spec.md: logits equal {@link ReferenceViT}'s on random weights. */
class ForwardReferenceTest {

    private static DataType previous;

    @BeforeAll
    static void doubles() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @Test
    void doubleModelMatchesReferenceTo1e10() {
        for (ViTConfig cfg : Variants.all()) check(cfg, DataType.DOUBLE, 1e-10);
    }

    @Test
    void floatModelMatchesReferenceTo1e5() {
        for (ViTConfig cfg : Variants.all()) check(cfg, DataType.FLOAT, 1e-5);
    }

    @Test
    void largerFloatModelMatchesReference() {
        // 16 tokens + CLS, 4 heads, several blocks: rows enough for the kernels' parallel path
        ViTConfig cfg = ViTConfig.of(16, 3, 4, 32, 3, 4, 64, 5);
        check(cfg, DataType.FLOAT, 1e-5);
    }

    private static void check(ViTConfig cfg, DataType type, double tol) {
        ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(5, new org.nd4j.linalg.learning.config.NoOp(), 0.0, type));
        TestModels.randomize(g, 11);
        INDArray x = TestModels.images(cfg, 3, 7, type);
        double[][] ref = new ReferenceViT(cfg, TimmWeights.toTimm(g, cfg)).logits(x);
        INDArray logits = new ViTInspector(g, cfg).trace(x).logits();
        INDArray probs = g.outputSingle(x);
        for (int i = 0; i < ref.length; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double v : ref[i]) max = Math.max(max, v);
            for (double v : ref[i]) sum += Math.exp(v - max);
            for (int k = 0; k < ref[i].length; k++) {
                String where = Variants.name(cfg) + " " + type + " image " + i + " class " + k;
                assertEquals(ref[i][k], logits.getDouble(i, k), tol * Math.max(1, Math.abs(ref[i][k])), where);
                assertEquals(Math.exp(ref[i][k] - max) / sum, probs.getDouble(i, k), tol, where);
            }
        }
        assertTrue(Math.abs(ref[0][0] - ref[1][0]) > 1e-3, "different images must give different logits");
    }
}
