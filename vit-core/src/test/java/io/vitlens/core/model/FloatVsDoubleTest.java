package io.vitlens.core.model;

import io.vitlens.core.Pooling;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast float path of the whole model (FastFloatKernels, parallel chunks and per-image attention
 * products) against the plain double path on identical weights and data: every gradient tensor.
 * Batch 64 of 17 tokens is large enough for every kernel's parallel branch.
 */
class FloatVsDoubleTest {

    @Test
    void gradientsAgreeToFloatPrecision() {
        ViTConfig cfg = ViTConfig.of(16, 3, 4, 32, 2, 4, 64, 5).withPooling(Pooling.MEAN);
        ComputationGraph d = ViTGraph.create(cfg, TestModels.doubles(1));
        TestModels.randomize(d, 2);
        ComputationGraph f = ViTGraph.create(cfg, TestModels.floats(1));
        f.params().assign(d.params().castTo(DataType.FLOAT));
        int batch = 64;
        Map<String, INDArray> gd = gradients(d, cfg, batch, DataType.DOUBLE);
        Map<String, INDArray> gf = gradients(f, cfg, batch, DataType.FLOAT);
        for (Map.Entry<String, INDArray> e : gd.entrySet()) {
            INDArray ref = e.getValue();
            double scale = ref.amaxNumber().doubleValue();
            double err = ref.sub(gf.get(e.getKey()).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(err <= 2e-4 * scale, e.getKey() + ": float/double difference " + err + " vs scale " + scale);
        }
    }

    private static Map<String, INDArray> gradients(ComputationGraph g, ViTConfig cfg, int batch, DataType t) {
        g.setInputs(TestModels.images(cfg, batch, 3, t));
        g.setLabels(TestModels.labels(cfg, batch, 4, t));
        g.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE).dup()));
        return out;
    }
}
