package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.kernels.Buffers;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structure, parameter count and names, timm initialisation, determinism and weight-decay scope. */
class ViTGraphTest {

    private static final Set<String> WEIGHTS = Set.of("patchEmbed_W", "head_W", "qkvW", "projW", "fc1W", "fc2W");

    @Test
    void parameterCountsOfTheTinyVariants() {
        // D 8, C 3, P 4, T 5, M 16, K 3. Patch: W 8*48 + b 8 + cls 8 = 400, + pos 5*8 (learned) or
        // row 2*8 + col 2*8 + posCls 8 (learned-2d). Block: LN 2*16 + qkv 24*8+24 + proj 64+8 + fc1 128+16
        // + fc2 128+8 = 600. Norm 16, head 24 + 3.
        ViTConfig t = TestModels.tiny();
        assertEquals(400 + 40 + 2 * 600 + 16 + 27, count(t));
        assertEquals(400 + 40 + 2 * 600 + 16 + 27, count(t.withPosEmbedding(PosEmbedding.LEARNED_2D)));
        assertEquals(400 + 2 * 600 + 16 + 27, count(t.withPosEmbedding(PosEmbedding.SINCOS_2D)));
        assertEquals(400 + 2 * 600 + 16 + 27, count(t.withPosEmbedding(PosEmbedding.NONE)));
        // one D-row section fewer: -(64 + 8) per block
        assertEquals(400 + 40 + 2 * 528 + 16 + 27, count(t.withAblation(ValueProjection.LEARNED, true)));
        assertEquals(400 + 40 + 2 * 528 + 16 + 27, count(t.withAblation(ValueProjection.IDENTITY, false)));
        assertEquals(400 + 40 + 2 * 456 + 16 + 27, count(t.withAblation(ValueProjection.IDENTITY, true)));
    }

    private static long count(ViTConfig cfg) {
        return ViTGraph.parameterCount(ViTGraph.create(cfg, TrainSettings.inference(1)));
    }

    @Test
    void vertexAndParameterNames() {
        ComputationGraph g = ViTGraph.create(TestModels.tiny(), TrainSettings.inference(1));
        assertEquals("block0", ViTGraph.blockName(0));
        assertEquals(List.of("image"), g.getConfiguration().getNetworkInputs());
        assertEquals(List.of("head"), g.getConfiguration().getNetworkOutputs());
        for (String v : List.of("patchEmbed", "block0", "block1", "norm", "head")) assertTrue(g.getVertex(v) != null, v);
        for (String name : g.paramTable().keySet())
            assertEquals(1, name.chars().filter(c -> c == '_').count(), "only the layer_key separator: " + name);
        assertTrue(g.paramTable().containsKey("block1_qkvW"));
        assertTrue(g.paramTable().containsKey("patchEmbed_pos"));
    }

    @Test
    void timmInitialisation() {
        ViTConfig cfg = ViTConfig.of(32, 3, 4, 64, 2, 4, 128, 10);
        ComputationGraph g = ViTGraph.create(cfg, TrainSettings.inference(7));
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String n = e.getKey();
            double[] v = Buffers.toDoubles(e.getValue());
            if (n.endsWith("ln1g") || n.endsWith("ln2g") || n.equals("norm_g")) {
                for (double x : v) assertEquals(1.0, x, 0.0, n);
            } else if (n.endsWith("b") || n.endsWith("ln1b") || n.endsWith("ln2b")) {
                for (double x : v) assertEquals(0.0, x, 0.0, n);
            } else { // weights, cls, pos: trunc-normal(0, 0.02) cut at +-0.04
                double sum = 0, sq = 0;
                for (double x : v) {
                    assertTrue(Math.abs(x) <= 0.04 + 1e-9, n + " value " + x);
                    sum += x;
                    sq += x * x;
                }
                if (v.length >= 4000) {
                    double mean = sum / v.length, std = Math.sqrt(sq / v.length - mean * mean);
                    // a N(0,1) truncated at +-2 has std 0.8796
                    assertEquals(0.02 * 0.8796, std, 0.02 * 0.8796 * 0.05, n + " std");
                    assertEquals(0.0, mean, 4 * 0.02 / Math.sqrt(v.length), n + " mean");
                }
            }
        }
    }

    @Test
    void sameSeedSameParametersWhateverTheNd4jRngState() {
        ViTConfig cfg = TestModels.tiny();
        Nd4j.getRandom().setSeed(1);
        INDArray a = ViTGraph.create(cfg, TrainSettings.inference(42)).params().dup();
        Nd4j.getRandom().setSeed(999);
        Nd4j.rand(DataType.FLOAT, 100);
        INDArray b = ViTGraph.create(cfg, TrainSettings.inference(42)).params().dup();
        INDArray c = ViTGraph.create(cfg, TrainSettings.inference(43)).params().dup();
        assertArrayEquals(Buffers.toDoubles(a), Buffers.toDoubles(b), 0.0);
        assertNotEquals(0.0, a.sub(c).amaxNumber().doubleValue());
    }

    @Test
    void weightDecayIsConfiguredOnLinearWeightsOnly() {
        ComputationGraph g = ViTGraph.create(TestModels.tiny(), new TrainSettings(1, new Sgd(0.1), 0.05, DataType.FLOAT));
        for (Layer l : g.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = l.conf().getLayer();
            for (String key : l.paramTable().keySet()) {
                List<Regularization> r = conf.getRegularizationByParam(key);
                boolean decayed = r != null && r.stream().anyMatch(x -> x instanceof WeightDecay);
                String name = conf.getLayerName() + "_" + key;
                assertEquals(WEIGHTS.contains(key) || WEIGHTS.contains(name), decayed, name);
            }
        }
    }

    @Test
    void oneSgdStepDecaysWeightsButNotBiasesNormsOrEmbeddings() {
        // decoupled decay with applyLR: p' = p - lr * grad / B - lr * coeff * p for weights, p - lr * grad / B otherwise
        double lr = 0.1, coeff = 0.05;
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(1, new Sgd(lr), coeff, DataType.DOUBLE));
        TestModels.randomize(g, 2);
        int batch = 4;
        INDArray x = TestModels.images(cfg, batch, 3, DataType.DOUBLE), y = TestModels.labels(cfg, batch, 4, DataType.DOUBLE);
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        Map<String, INDArray> before = copy(g.paramTable());
        Map<String, INDArray> grads = copy(g.gradient().gradientForVariable());
        g.fit(new MultiDataSet(x, y));
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String n = e.getKey();
            boolean weight = WEIGHTS.contains(n) || WEIGHTS.contains(n.substring(n.indexOf('_') + 1));
            INDArray p = before.get(n);
            INDArray expected = p.sub(grads.get(n).mul(lr / batch));
            if (weight) expected.subi(p.mul(lr * coeff));
            assertArrayEquals(Buffers.toDoubles(expected), Buffers.toDoubles(e.getValue()), 1e-12, n);
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TrainSettings(1, null, 0, DataType.FLOAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainSettings(1, new Sgd(0.1), -1, DataType.FLOAT));
        assertTrue(e.getMessage().contains("weightDecay"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainSettings(1, new Sgd(0.1), 0, DataType.HALF));
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> ViTGraph.create(
                ViTConfig.of(8, 3, 4, 6, 1, 2, 8, 2).withPosEmbedding(PosEmbedding.SINCOS_2D), TrainSettings.inference(1)));
        assertTrue(s.getMessage().contains("model.dim"), s.getMessage());
    }

    @Test
    void wrongImageShapeIsNamed() {
        ComputationGraph g = ViTGraph.create(TestModels.tiny(), TrainSettings.inference(1));
        Exception e = assertThrows(Exception.class, () -> g.outputSingle(Nd4j.zeros(DataType.FLOAT, 2, 3, 16, 16)));
        assertTrue(String.valueOf(e.getMessage()).contains("[2, 3, 16, 16]"), e.getMessage());
        assertFalse(String.valueOf(e.getMessage()).isEmpty());
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
