package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong weights or inputs must be rejected by name, never silently computed with. */
class SameDiffViTValidationTest {

    private final ViTConfig cfg = OracleFixtures.tiny();

    @Test
    void missingWeightIsNamedWithItsShape() {
        Map<String, INDArray> w = new LinkedHashMap<>(OracleWeights.random(cfg, 1));
        w.remove("blocks.1.mlp.fc2.bias");
        expect(cfg, w, OracleFixtures.images(cfg, 2), "missing weight 'blocks.1.mlp.fc2.bias'", "[8]");
    }

    @Test
    void unexpectedWeightIsNamed() {
        ViTConfig none = cfg.withPosEmbedding(PosEmbedding.NONE);
        Map<String, INDArray> w = new LinkedHashMap<>(OracleWeights.random(none, 1));
        w.put("pos_embed", Nd4j.zeros(DataType.DOUBLE, 1, 5, 8));
        expect(none, w, OracleFixtures.images(cfg, 2), "unexpected weights [pos_embed]", "none");
    }

    @Test
    void misShapedWeightIsNamed() {
        ViTConfig identity = cfg.withAblation(ValueProjection.IDENTITY, false);
        // a learned-V [3D, D] qkv given to an identity-V config
        Map<String, INDArray> w = new LinkedHashMap<>(OracleWeights.random(identity, 1));
        w.put("blocks.0.attn.qkv.weight", Nd4j.zeros(DataType.DOUBLE, 24, 8));
        expect(identity, w, OracleFixtures.images(cfg, 2), "'blocks.0.attn.qkv.weight' has shape [24, 8]",
                "expected [16, 8]");
    }

    @Test
    void tiedConfigRejectsKeyRowsThatDifferFromQueryRows() {
        ViTConfig tied = cfg.withAblation(ValueProjection.LEARNED, true);
        Map<String, INDArray> w = new LinkedHashMap<>(OracleWeights.random(tied, 1));
        INDArray qkv = w.get("blocks.1.attn.qkv.weight");
        qkv.putScalar(8 + 3, 5, qkv.getDouble(8 + 3, 5) + 1e-9);   // a K entry, off by far less than 1e-5
        expect(tied, w, OracleFixtures.images(cfg, 2), "'blocks.1.attn.qkv.weight'", "differ from rows 0..7 (Q)");
    }

    @Test
    void wrongImageShapeIsRejected() {
        expect(cfg, OracleWeights.random(cfg, 1), Nd4j.zeros(DataType.DOUBLE, 2, 1, 8, 8),
                "images shape [2, 1, 8, 8]", "expected [B, 3, 8, 8]");
    }

    private static void expect(ViTConfig cfg, Map<String, INDArray> w, INDArray images, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SameDiffViT.run(cfg, w, images, OracleFixtures.labels(cfg)));
        for (String f : fragments)
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
    }
}
