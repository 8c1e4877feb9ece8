package io.vitlens.core.model;

import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

import java.util.List;

/**
 * The tiny-model variants the checks run over: every position embedding, both poolings and both
 * ablations each appear at least once (combined to keep the gradient checks few).
 */
final class Variants {

    private Variants() {
    }

    static List<ViTConfig> all() {
        ViTConfig t = TestModels.tiny();
        return List.of(
                t,
                t.withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN),
                t.withPosEmbedding(PosEmbedding.SINCOS_2D).withAblation(ValueProjection.IDENTITY, false),
                t.withPosEmbedding(PosEmbedding.NONE).withPooling(Pooling.MEAN).withAblation(ValueProjection.LEARNED, true),
                t.withAblation(ValueProjection.IDENTITY, true));
    }

    static String name(ViTConfig c) {
        return c.posEmbedding() + "/" + c.pooling() + "/v=" + c.valueProjection() + "/tieQk=" + c.tieQk();
    }
}
