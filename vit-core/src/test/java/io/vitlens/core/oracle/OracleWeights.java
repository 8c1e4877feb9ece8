package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The timm weight names and shapes the oracle expects for a configuration (docs/model-spec.md, plus
 * the conventions of {@link SameDiffViT} for the variants), and seeded random weights of those
 * shapes for tests.
 */
public final class OracleWeights {

    private OracleWeights() {}

    /** Name -> shape, in timm's order, for {@code cfg}. */
    public static Map<String, long[]> expectedShapes(ViTConfig cfg) {
        long c = cfg.channels(), p = cfg.patchSize(), d = cfg.dim(), m = cfg.mlpDim(), k = cfg.numClasses();
        long t = cfg.numTokens(), g = cfg.gridSize();
        long qkvRows = (cfg.valueProjection() == ValueProjection.IDENTITY ? 2 : 3) * d;
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("cls_token", new long[]{1, 1, d});
        switch (cfg.posEmbedding()) {
            case LEARNED, SINCOS_2D -> s.put("pos_embed", new long[]{1, t, d});
            case LEARNED_2D -> {
                s.put("pos_embed_row", new long[]{g, d});
                s.put("pos_embed_col", new long[]{g, d});
                s.put("pos_embed_cls", new long[]{1, 1, d});
            }
            case NONE -> { }
        }
        s.put("patch_embed.proj.weight", new long[]{d, c, p, p});
        s.put("patch_embed.proj.bias", new long[]{d});
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i + ".";
            s.put(b + "norm1.weight", new long[]{d});
            s.put(b + "norm1.bias", new long[]{d});
            s.put(b + "attn.qkv.weight", new long[]{qkvRows, d});
            s.put(b + "attn.qkv.bias", new long[]{qkvRows});
            s.put(b + "attn.proj.weight", new long[]{d, d});
            s.put(b + "attn.proj.bias", new long[]{d});
            s.put(b + "norm2.weight", new long[]{d});
            s.put(b + "norm2.bias", new long[]{d});
            s.put(b + "mlp.fc1.weight", new long[]{m, d});
            s.put(b + "mlp.fc1.bias", new long[]{m});
            s.put(b + "mlp.fc2.weight", new long[]{d, m});
            s.put(b + "mlp.fc2.bias", new long[]{d});
        }
        s.put("norm.weight", new long[]{d});
        s.put("norm.bias", new long[]{d});
        s.put("head.weight", new long[]{k, d});
        s.put("head.bias", new long[]{k});
        return s;
    }

    /**
     * Random DOUBLE weights of the expected shapes: Gaussian, scaled so activations stay O(1) and
     * attention is neither uniform nor one-hot; LayerNorm weights near 1. With {@code tieQk} the K
     * rows (and K bias) are copies of the Q rows, as the convention requires.
     */
    public static Map<String, INDArray> random(ViTConfig cfg, long seed) {
        Random rnd = new Random(seed);
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expectedShapes(cfg).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            double[] v = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
            boolean lnWeight = name.endsWith("norm1.weight") || name.endsWith("norm2.weight") || name.equals("norm.weight");
            double scale = name.endsWith(".weight") && shape.length >= 2 ? 1.0 / Math.sqrt(fanIn(shape)) : 0.3;
            for (int i = 0; i < v.length; i++) v[i] = (lnWeight ? 1.0 : 0.0) + scale * rnd.nextGaussian();
            w.put(name, Nd4j.create(v, shape, 'c').castTo(DataType.DOUBLE));
        }
        if (cfg.tieQk()) {
            int d = cfg.dim();
            for (int i = 0; i < cfg.depth(); i++) {
                INDArray qkv = w.get("blocks." + i + ".attn.qkv.weight");
                qkv.get(NDArrayIndex.interval(d, 2 * d), NDArrayIndex.all())
                        .assign(qkv.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()));
                INDArray bias = w.get("blocks." + i + ".attn.qkv.bias");
                bias.get(NDArrayIndex.interval(d, 2 * d)).assign(bias.get(NDArrayIndex.interval(0, d)));
            }
        }
        if (cfg.posEmbedding() == PosEmbedding.SINCOS_2D) w.put("pos_embed", sincosLikeTable(cfg));
        return w;
    }

    /**
     * A fixed table standing in for the sincos2d one: the oracle treats any {@code pos_embed} of a
     * sincos2d config as a constant, so the exact formula does not matter to it.
     */
    private static INDArray sincosLikeTable(ViTConfig cfg) {
        int t = cfg.numTokens(), d = cfg.dim();
        double[] v = new double[t * d];
        for (int i = 1; i < t; i++)
            for (int j = 0; j < d; j++) v[i * d + j] = Math.sin((i - 1) / Math.pow(100.0, (double) j / d) + j);
        return Nd4j.create(v, new long[]{1, t, d}, 'c').castTo(DataType.DOUBLE);
    }

    private static long fanIn(long[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) f *= shape[i];
        return f;
    }
}
