package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.Pooling;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.stream.Stream;

/** The tiny configurations and inputs the oracle tests share. */
final class OracleFixtures {

    static final int BATCH = 2;

    private OracleFixtures() {}

    /** 8x8 image, C 3, P 4 (g 2, N 4, T 5), D 8, H 2, L 2, M 16, K 3. */
    static ViTConfig tiny() {
        return ViTConfig.of(8, 3, 4, 8, 2, 2, 16, 3);
    }

    /** Every supported variant, once alone and once combined. */
    static Stream<Arguments> variants() {
        ViTConfig base = tiny();
        return Stream.of(
                Arguments.of("learned+cls", base),
                Arguments.of("learned+mean", base.withPooling(Pooling.MEAN)),
                Arguments.of("none", base.withPosEmbedding(PosEmbedding.NONE)),
                Arguments.of("learned-2d", base.withPosEmbedding(PosEmbedding.LEARNED_2D)),
                Arguments.of("sincos2d (fixed table)", base.withPosEmbedding(PosEmbedding.SINCOS_2D)),
                Arguments.of("identity-v", base.withAblation(ValueProjection.IDENTITY, false)),
                Arguments.of("tie-qk", base.withAblation(ValueProjection.LEARNED, true)),
                Arguments.of("identity-v+tie-qk+learned-2d+mean", base.withAblation(ValueProjection.IDENTITY, true)
                        .withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN)));
    }

    static INDArray images(ViTConfig cfg, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[BATCH * cfg.channels() * cfg.imageSize() * cfg.imageSize()];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
        return Nd4j.create(v, new long[]{BATCH, cfg.channels(), cfg.imageSize(), cfg.imageSize()}, 'c')
                .castTo(DataType.DOUBLE);
    }

    /** One-hot rows, sample b of class (b + 1) mod K. */
    static INDArray labels(ViTConfig cfg) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, BATCH, cfg.numClasses());
        for (int b = 0; b < BATCH; b++) y.putScalar(b, (b + 1) % cfg.numClasses(), 1.0);
        return y;
    }
}
