package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimmWeightsTest {

    @Test
    void namesAndShapesOfModelSpec() {
        ViTConfig cfg = TestModels.tiny(); // D 8, C 3, P 4, T 5, M 16, K 3, L 2
        Map<String, INDArray> w = TimmWeights.toTimm(ViTGraph.create(cfg, TrainSettings.inference(1)), cfg);
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("cls_token", new long[]{1, 1, 8});
        expected.put("pos_embed", new long[]{1, 5, 8});
        expected.put("patch_embed.proj.weight", new long[]{8, 3, 4, 4});
        expected.put("patch_embed.proj.bias", new long[]{8});
        for (int i = 0; i < 2; i++) {
            expected.put("blocks." + i + ".norm1.weight", new long[]{8});
            expected.put("blocks." + i + ".norm1.bias", new long[]{8});
            expected.put("blocks." + i + ".attn.qkv.weight", new long[]{24, 8});
            expected.put("blocks." + i + ".attn.qkv.bias", new long[]{24});
            expected.put("blocks." + i + ".attn.proj.weight", new long[]{8, 8});
            expected.put("blocks." + i + ".attn.proj.bias", new long[]{8});
            expected.put("blocks." + i + ".norm2.weight", new long[]{8});
            expected.put("blocks." + i + ".norm2.bias", new long[]{8});
            expected.put("blocks." + i + ".mlp.fc1.weight", new long[]{16, 8});
            expected.put("blocks." + i + ".mlp.fc1.bias", new long[]{16});
            expected.put("blocks." + i + ".mlp.fc2.weight", new long[]{8, 16});
            expected.put("blocks." + i + ".mlp.fc2.bias", new long[]{8});
        }
        expected.put("norm.weight", new long[]{8});
        expected.put("norm.bias", new long[]{8});
        expected.put("head.weight", new long[]{3, 8});
        expected.put("head.bias", new long[]{3});
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(w.keySet()));
        expected.forEach((k, s) -> assertArrayEquals(s, w.get(k).shape(), k));

        ViTConfig none = cfg.withPosEmbedding(PosEmbedding.NONE);
        assertTrue(!TimmWeights.toTimm(ViTGraph.create(none, TrainSettings.inference(1)), none).containsKey("pos_embed"));
        ViTConfig twoD = cfg.withPosEmbedding(PosEmbedding.LEARNED_2D);
        Map<String, INDArray> w2 = TimmWeights.toTimm(ViTGraph.create(twoD, TrainSettings.inference(1)), twoD);
        assertArrayEquals(new long[]{2, 8}, w2.get("pos_embed_row").shape());
        assertArrayEquals(new long[]{2, 8}, w2.get("pos_embed_col").shape());
    }

    @Test
    void layoutOfPatchWeightAndHead() {
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph g = ViTGraph.create(cfg, TrainSettings.inference(3));
        Map<String, INDArray> w = TimmWeights.toTimm(g, cfg);
        // conv weight [D, C, P, P] flattened in (C, P, P) order: W[o, ch*16 + i*4 + j]
        assertEquals(g.getParam("patchEmbed_W").getDouble(5, 2 * 16 + 3 * 4 + 1),
                w.get("patch_embed.proj.weight").getDouble(5, 2, 3, 1), 0.0);
        // DL4J head W [D, K] is timm head.weight [K, D] transposed
        assertEquals(g.getParam("head_W").getDouble(6, 2), w.get("head.weight").getDouble(2, 6), 0.0);
    }

    @Test
    void roundTripIntoAFreshModelReproducesItExactly() {
        for (ViTConfig cfg : Variants.all()) {
            ComputationGraph a = ViTGraph.create(cfg, TrainSettings.inference(1));
            TestModels.randomize(a, 2);
            ComputationGraph b = ViTGraph.create(cfg, TrainSettings.inference(99));
            TimmWeights.fromTimm(TimmWeights.toTimm(a, cfg), b, cfg);
            assertEquals(0.0, a.params().sub(b.params()).amaxNumber().doubleValue(), 0.0, Variants.name(cfg));
            INDArray x = TestModels.images(cfg, 2, 3, DataType.FLOAT);
            assertEquals(0.0, a.outputSingle(x).sub(b.outputSingle(x)).amaxNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void ablationsExportAsTheFullModelTheyEqual() {
        ViTConfig full = TestModels.tiny();
        for (ViTConfig ablated : List.of(full.withAblation(ValueProjection.LEARNED, true),
                full.withAblation(ValueProjection.IDENTITY, false), full.withAblation(ValueProjection.IDENTITY, true))) {
            ComputationGraph a = ViTGraph.create(ablated, TrainSettings.inference(1));
            TestModels.randomize(a, 4);
            Map<String, INDArray> w = TimmWeights.toTimm(a, ablated);
            INDArray qkv = w.get("blocks.1.attn.qkv.weight"), bias = w.get("blocks.1.attn.qkv.bias");
            if (ablated.tieQk()) {
                assertEquals(rows(qkv, 0, 8), rows(qkv, 8, 16));
                assertEquals(bias.get(NDArrayIndex.interval(0, 8)), bias.get(NDArrayIndex.interval(8, 16)));
            }
            if (ablated.valueProjection() == ValueProjection.IDENTITY) {
                assertEquals(Nd4j.eye(8).castTo(DataType.FLOAT), rows(qkv, 16, 24));
                assertEquals(0.0, bias.get(NDArrayIndex.interval(16, 24)).amaxNumber().doubleValue(), 0.0);
            }
            ComputationGraph b = ViTGraph.create(full, TrainSettings.inference(5));
            TimmWeights.fromTimm(w, b, full);
            INDArray x = TestModels.images(full, 2, 6, DataType.FLOAT);
            INDArray pa = a.outputSingle(x), pb = b.outputSingle(x);
            assertEquals(0.0, pa.sub(pb).amaxNumber().doubleValue(), 1e-6, Variants.name(ablated));
        }
    }

    @Test
    void errorsNameTheTensor() {
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph g = ViTGraph.create(cfg, TrainSettings.inference(1));
        Map<String, INDArray> w = TimmWeights.toTimm(g, cfg);

        Map<String, INDArray> missing = new LinkedHashMap<>(w);
        missing.remove("blocks.1.mlp.fc2.bias");
        assertMessage(missing, g, cfg, "blocks.1.mlp.fc2.bias");

        Map<String, INDArray> extra = new LinkedHashMap<>(w);
        extra.put("fc_norm.weight", Nd4j.zeros(8));
        assertMessage(extra, g, cfg, "fc_norm.weight");

        Map<String, INDArray> shape = new LinkedHashMap<>(w);
        shape.put("blocks.0.attn.qkv.weight", Nd4j.zeros(DataType.FLOAT, 8, 24));
        String msg = assertMessage(shape, g, cfg, "blocks.0.attn.qkv.weight");
        assertTrue(msg.contains("[8, 24]") && msg.contains("[24, 8]"), msg);
    }

    @Test
    void rejectsValuesTheVariantCannotRepresent() {
        ViTConfig full = TestModels.tiny();
        ComputationGraph src = ViTGraph.create(full, TrainSettings.inference(1));
        Map<String, INDArray> w = TimmWeights.toTimm(src, full);
        ViTConfig tied = full.withAblation(ValueProjection.LEARNED, true);
        assertMessage(w, ViTGraph.create(tied, TrainSettings.inference(1)), tied, "blocks.0.attn.qkv");
        ViTConfig identity = full.withAblation(ValueProjection.IDENTITY, false);
        assertMessage(w, ViTGraph.create(identity, TrainSettings.inference(1)), identity, "blocks.0.attn.qkv");

        ViTConfig sincos = full.withPosEmbedding(PosEmbedding.SINCOS_2D);
        assertMessage(w, ViTGraph.create(sincos, TrainSettings.inference(1)), sincos, "pos_embed"); // learned table

        ViTConfig twoD = full.withPosEmbedding(PosEmbedding.LEARNED_2D);
        ComputationGraph g2 = ViTGraph.create(twoD, TrainSettings.inference(1));
        Map<String, INDArray> w2 = new LinkedHashMap<>(TimmWeights.toTimm(g2, twoD));
        w2.put("pos_embed", w2.get("pos_embed").add(0.5));
        assertMessage(w2, g2, twoD, "pos_embed");
    }

    private static String assertMessage(Map<String, INDArray> w, ComputationGraph g, ViTConfig cfg, String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimmWeights.fromTimm(w, g, cfg));
        assertTrue(e.getMessage().contains("'" + name), e.getMessage());
        return e.getMessage();
    }

    private static INDArray rows(INDArray m, int from, int to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
