package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.Pooling;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.oracle.OracleResult;
import io.vitlens.core.oracle.SameDiffViT;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written layers against the pure-SameDiff oracle (vit-core oracle package) on the same timm
 * weights and batch, in double precision: logits, mean cross-entropy, and the gradient of every weight.
 *
 * <p>Conventions bridged here: DL4J's gradient views hold the gradient of the summed loss (its updater
 * divides by the batch size), the oracle's that of the mean loss; the oracle stores learned-2d as
 * {@code pos_embed_row/col/cls} without a summed table, identity-V models with a [2D, D] qkv, and
 * reports tied-Q/K gradients on the Q rows with zeros on the K rows.
 */
class OracleComparisonTest {

    private static final double TOL = 1e-6;
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
    void logitsLossAndEveryGradientMatchTheOracle() {
        ViTConfig t = TestModels.tiny();
        List<ViTConfig> configs = new ArrayList<>(Variants.all());
        configs.add(t.withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN)
                .withAblation(ValueProjection.IDENTITY, true));
        configs.add(ViTConfig.of(16, 3, 4, 16, 3, 4, 24, 5)); // 4 heads, 3 blocks, 17 tokens
        for (ViTConfig cfg : configs) compare(cfg);
    }

    private static void compare(ViTConfig cfg) {
        String name = Variants.name(cfg) + " D=" + cfg.dim();
        int batch = 3;
        ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(1));
        TestModels.randomize(g, 2);
        INDArray x = TestModels.images(cfg, batch, 3, DataType.DOUBLE);
        INDArray y = TestModels.labels(cfg, batch, 4, DataType.DOUBLE);
        Map<String, INDArray> timm = TimmWeights.toTimm(g, cfg);
        OracleResult oracle = SameDiffViT.run(cfg, oracleWeights(timm, cfg), x, y);

        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        assertEquals(oracle.loss(), g.score(), TOL * Math.abs(oracle.loss()), name + " loss");
        close(oracle.logits(), new ViTInspector(g, cfg).trace(x).logits(), name + " logits");

        // gradients of the mean loss under timm names: load them as the "parameters" of a twin model
        ComputationGraph twin = ViTGraph.create(cfg, TestModels.doubles(1));
        twin.params().assign(g.getGradientsViewArray().div(batch));
        Map<String, INDArray> mine = TimmWeights.toTimm(twin, cfg);
        if (cfg.posEmbedding() == PosEmbedding.LEARNED_2D)
            mine.put("pos_embed_cls", twin.getParam("patchEmbed_posCls").reshape(1, 1, cfg.dim()));

        int d = cfg.dim();
        int compared = 0;
        for (Map.Entry<String, INDArray> e : oracle.gradients().entrySet()) {
            String n = e.getKey();
            INDArray expected = e.getValue(), actual = mine.get(n);
            if (n.endsWith("attn.qkv.weight") || n.endsWith("attn.qkv.bias")) {
                if (cfg.valueProjection() == ValueProjection.IDENTITY) actual = rows(actual, 0, 2 * d);
                if (cfg.tieQk()) {
                    assertEquals(0.0, rows(expected, d, 2 * d).amaxNumber().doubleValue(), 0.0, "oracle K rows of " + n);
                    expected = rows(expected, 0, d);
                    actual = rows(actual, 0, d);
                }
            }
            close(expected, actual, name + " gradient " + n);
            compared++;
        }
        assertTrue(compared >= 12 * cfg.depth() + 6, name + ": compared only " + compared);
    }

    /** The oracle's weight conventions from this project's timm export. */
    private static Map<String, INDArray> oracleWeights(Map<String, INDArray> timm, ViTConfig cfg) {
        Map<String, INDArray> w = new LinkedHashMap<>(timm);
        int d = cfg.dim();
        if (cfg.posEmbedding() == PosEmbedding.LEARNED_2D) {
            INDArray table = w.remove("pos_embed");
            w.put("pos_embed_cls", table.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all())
                    .dup().reshape(1, 1, d));
        }
        if (cfg.valueProjection() == ValueProjection.IDENTITY) {
            for (int i = 0; i < cfg.depth(); i++) {
                String p = "blocks." + i + ".attn.qkv.";
                w.put(p + "weight", rows(w.get(p + "weight"), 0, 2 * d));
                w.put(p + "bias", rows(w.get(p + "bias"), 0, 2 * d));
            }
        }
        return w;
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.rank() == 1 ? a.get(NDArrayIndex.interval(from, to)).dup()
                : a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    /** Elementwise |actual - expected| <= TOL * max|expected| (relative to the tensor's scale). */
    private static void close(INDArray expected, INDArray actual, String what) {
        assertTrue(actual != null, what + ": missing");
        assertEquals(expected.length(), actual.length(), what + " size");
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0, what + ": oracle value is all zeros");
        double err = expected.reshape(expected.length()).sub(actual.reshape(actual.length())).amaxNumber().doubleValue();
        assertTrue(err <= TOL * scale, what + ": max error " + err + " vs scale " + scale);
    }
}
