package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.Engine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable engine against the independent plain-Java {@link ReferenceViT} (docs/model-spec.md), with no
 * fast-engine code involved: parameters are set and read through ND4J only, so the test means the same on
 * a CUDA backend (tools/gpu-check.sh runs it there with {@code -Dvitlens.engine=portable}). Logits and
 * probabilities agree to 1e-10 in double and 1e-5 in float for every variant; a training step gives finite
 * gradients that reach every parameter.
 */
class PortableReferenceTest {

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
    void doubleLogitsMatchTheReference() {
        for (ViTConfig cfg : Engines.variantGrid()) check(cfg, DataType.DOUBLE, 1e-10);
    }

    @Test
    void floatLogitsMatchTheReference() {
        for (ViTConfig cfg : Engines.variantGrid()) check(cfg, DataType.FLOAT, 1e-5);
        check(ViTConfig.of(16, 3, 4, 32, 3, 4, 64, 5), DataType.FLOAT, 1e-5);
    }

    @Test
    void gradientsAreFiniteAndReachEveryParameter() {
        for (ViTConfig cfg : Engines.variantGrid()) {
            ComputationGraph g = portableGraph(cfg, DataType.FLOAT);
            g.setInputs(TestModels.images(cfg, 3, 7, DataType.FLOAT));
            g.setLabels(TestModels.labels(cfg, 3, 8, DataType.FLOAT));
            g.computeGradientAndScore();
            assertTrue(Double.isFinite(g.score()), Engines.name(cfg));
            g.gradient().gradientForVariable().forEach((k, v) -> {
                double n = v.norm2Number().doubleValue();
                assertTrue(Double.isFinite(n), Engines.name(cfg) + " " + k + " not finite");
                // the key bias alone has a true gradient of 0 (softmax ignores a constant shift), but its block's
                // qkv bias also holds Q and V
                assertTrue(n > 0, Engines.name(cfg) + " " + k + " receives no gradient");
            });
        }
    }

    /** A portable graph with N(0, 0.4^2) parameters (LayerNorm scales 1 + N(0, 0.2^2)) set through ND4J. */
    private static ComputationGraph portableGraph(ViTConfig cfg, DataType type) {
        ComputationGraph g = Engines.create(cfg, new TrainSettings(5, new NoOp(), 0.0, type), Engine.PORTABLE);
        assertEquals(Engine.PORTABLE, Engine.of(g));
        Engines.randomizeThroughNd4j(g, 11);
        return g;
    }

    private static void check(ViTConfig cfg, DataType type, double tol) {
        ComputationGraph g = portableGraph(cfg, type);
        INDArray x = TestModels.images(cfg, 3, 7, type);
        double[][] ref = new ReferenceViT(cfg, TimmWeights.toTimm(g, cfg)).logits(x);
        INDArray logits = new ViTInspector(g, cfg).trace(x).logits().castTo(DataType.DOUBLE);
        INDArray probs = g.outputSingle(x).castTo(DataType.DOUBLE);
        double[][] l = logits.toDoubleMatrix(), pr = probs.toDoubleMatrix();
        for (int i = 0; i < ref.length; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double v : ref[i]) max = Math.max(max, v);
            for (double v : ref[i]) sum += Math.exp(v - max);
            for (int k = 0; k < ref[i].length; k++) {
                String where = Engines.name(cfg) + " " + type + " image " + i + " class " + k;
                assertEquals(ref[i][k], l[i][k], tol * Math.max(1, Math.abs(ref[i][k])), where);
                assertEquals(Math.exp(ref[i][k] - max) / sum, pr[i][k], tol, where);
            }
        }
        assertFalse(Math.abs(ref[0][0] - ref[1][0]) < 1e-3, "different images must give different logits");
    }
}
