package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.model.layers.SinCos2d;
import io.vitlens.core.model.layers.TransformerBlock;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViTInspectorTest {

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
    void traceMatchesTheReferenceBlockByBlock() {
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(1));
        TestModels.randomize(g, 2);
        INDArray x = TestModels.images(cfg, 3, 3, DataType.DOUBLE);
        ForwardTrace tr = new ViTInspector(g, cfg).trace(x);
        ReferenceViT ref = new ReferenceViT(cfg, TimmWeights.toTimm(g, cfg));
        ref.logits(x);
        int t = cfg.numTokens(), d = cfg.dim(), h = cfg.heads();
        assertEquals(cfg.depth(), tr.blockInputs().size());
        assertEquals(cfg.depth(), tr.attention().size());
        for (int l = 0; l < cfg.depth(); l++) {
            assertArrayEquals(new long[]{3, t, d}, tr.blockInputs().get(l).shape());
            assertArrayEquals(new long[]{3, h, t, t}, tr.attention().get(l).shape());
            for (int b = 0; b < 3; b++)
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < d; j++)
                        assertEquals(ref.blockInputs.get(b).get(l)[i][j], tr.blockInputs().get(l).getDouble(b, i, j), 1e-10);
                    for (int hh = 0; hh < h; hh++)
                        for (int j = 0; j < t; j++)
                            assertEquals(ref.attention.get(b).get(l)[hh][i][j],
                                    tr.attention().get(l).getDouble(b, hh, i, j), 1e-10);
                }
        }
        // block 0's input is the patch embedding's output
        INDArray tokens = g.feedForward(x, false).get(ViTGraph.PATCH_EMBED);
        assertEquals(0.0, tokens.sub(tr.blockInputs().get(0)).amaxNumber().doubleValue(), 0.0);
        assertNull(((TransformerBlock) g.getLayer("block0")).recordedAttention(), "recording is switched off again");
    }

    @Test
    void attentionRowsAreDistributionsAndAsymmetric() {
        ViTConfig cfg = ViTConfig.of(16, 3, 4, 32, 2, 4, 64, 5);
        ComputationGraph g = ViTGraph.create(cfg, TestModels.floats(4));
        TestModels.randomize(g, 5);
        ForwardTrace tr = new ViTInspector(g, cfg).trace(TestModels.images(cfg, 4, 6, DataType.FLOAT));
        for (INDArray a : tr.attention()) {
            assertArrayEquals(new long[]{4, 4, 17, 17}, a.shape());
            assertTrue(a.minNumber().doubleValue() >= 0);
            INDArray sums = a.sum(3);
            assertEquals(1.0, sums.minNumber().doubleValue(), 1e-5);
            assertEquals(1.0, sums.maxNumber().doubleValue(), 1e-5);
            INDArray at = a.permute(0, 1, 3, 2);
            assertTrue(a.sub(at).norm2Number().doubleValue() > 0.01 * a.norm2Number().doubleValue(), "claim C10");
        }
        assertArrayEquals(new long[]{4, 5}, tr.logits().shape());
    }

    @Test
    void queriesKeysAndWeightSlicesInTimmLayout() {
        for (boolean tie : new boolean[]{false, true}) {
            ViTConfig cfg = TestModels.tiny().withAblation(ValueProjection.LEARNED, tie);
            ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(1));
            TestModels.randomize(g, 7);
            ViTInspector in = new ViTInspector(g, cfg);
            Map<String, INDArray> timm = TimmWeights.toTimm(g, cfg);
            int d = cfg.dim(), hd = cfg.headDim();
            INDArray tokens = TestModels.images(cfg, 1, 8, DataType.DOUBLE).reshape(6, 32).get(
                    NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup(); // any [T', D] rows
            for (int l = 0; l < cfg.depth(); l++) {
                String p = "blocks." + l + ".";
                double[][] y = ReferenceViT.layerNorm(rows(tokens), vec(timm.get(p + "norm1.weight")),
                        vec(timm.get(p + "norm1.bias")));
                double[][] qkv = ReferenceViT.linear(y, vec(timm.get(p + "attn.qkv.weight")), vec(timm.get(p + "attn.qkv.bias")));
                INDArray[] qk = in.queriesAndKeys(l, tokens);
                assertArrayEquals(new long[]{cfg.heads(), 6, hd}, qk[0].shape());
                for (int h = 0; h < cfg.heads(); h++) {
                    for (int i = 0; i < 6; i++)
                        for (int k = 0; k < hd; k++) {
                            assertEquals(qkv[i][h * hd + k], qk[0].getDouble(h, i, k), 1e-12);
                            assertEquals(qkv[i][d + h * hd + k], qk[1].getDouble(h, i, k), 1e-12);
                        }
                    INDArray w = timm.get(p + "attn.qkv.weight");
                    assertEquals(w.get(NDArrayIndex.interval(h * hd, h * hd + hd), NDArrayIndex.all()),
                            in.queryWeight(l, h));
                    assertEquals(w.get(NDArrayIndex.interval(d + h * hd, d + h * hd + hd), NDArrayIndex.all()),
                            in.keyWeight(l, h));
                    if (tie) assertEquals(in.queryWeight(l, h), in.keyWeight(l, h));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> in.keyWeight(0, cfg.heads()));
            assertThrows(IllegalArgumentException.class, () -> in.queriesAndKeys(cfg.depth(), tokens));
        }
    }

    @Test
    void patchPositionEmbeddingsPerVariant() {
        ViTConfig base = TestModels.tiny();
        int n = base.numPatches(), d = base.dim(), gs = base.gridSize();
        for (PosEmbedding p : PosEmbedding.values()) {
            ViTConfig cfg = base.withPosEmbedding(p);
            ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(2));
            TestModels.randomize(g, 3);
            INDArray e = new ViTInspector(g, cfg).patchPositionEmbeddings();
            INDArray expected = switch (p) {
                case LEARNED -> g.getParam("patchEmbed_pos").get(NDArrayIndex.interval(1, n + 1), NDArrayIndex.all());
                case LEARNED_2D -> {
                    INDArray row = g.getParam("patchEmbed_posRow").dup(), col = g.getParam("patchEmbed_posCol").dup();
                    INDArray out = Nd4j.create(DataType.DOUBLE, n, d);
                    for (int r = 0; r < gs; r++)
                        for (int c = 0; c < gs; c++) out.putRow(r * gs + c, row.getRow(r).add(col.getRow(c)));
                    yield out;
                }
                case SINCOS_2D -> SinCos2d.table(gs, d, DataType.DOUBLE).get(NDArrayIndex.interval(1, n + 1), NDArrayIndex.all());
                case NONE -> null;
            };
            if (expected == null) {
                assertNull(e);
            } else {
                assertArrayEquals(new long[]{n, d}, e.shape());
                assertEquals(0.0, e.sub(expected).amaxNumber().doubleValue(), 1e-15, p.id());
            }
        }
    }

    @Test
    void rejectsImagesOfTheWrongShape() {
        ViTConfig cfg = TestModels.tiny();
        ViTInspector in = new ViTInspector(ViTGraph.create(cfg, TestModels.doubles(1)), cfg);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> in.trace(Nd4j.zeros(DataType.DOUBLE, 2, 1, 8, 8)));
        assertTrue(e.getMessage().contains("[2, 1, 8, 8]"), e.getMessage());
    }

    private static double[][] rows(INDArray m) {
        return m.toDoubleMatrix();
    }

    private static double[] vec(INDArray v) {
        return v.dup('c').data().asDouble();
    }
}
