package io.vitlens.core.oracle;

import io.vitlens.core.ViTConfig;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The test oracle: docs/model-spec.md computed by a pure SameDiff graph in double precision, from
 * timm-named weights, with gradients from SameDiff's autodiff. The hand-written DL4J layers are
 * checked against it; it is itself checked by SameDiff's {@code GradCheckUtil} and by an
 * independent plain-Java implementation (see the tests in this package).
 *
 * <h2>Conventions (read these before comparing with it)</h2>
 * <ul>
 * <li><b>Precision</b>: weights, images and labels are cast to {@code DOUBLE}; all results are
 *     DOUBLE. The caller's arrays are copied, never modified.</li>
 * <li><b>Weights</b>: exactly the names and shapes of {@link OracleWeights#expectedShapes} (timm's:
 *     {@code cls_token [1,1,D]}, {@code pos_embed [1,T,D]}, {@code patch_embed.proj.weight
 *     [D,C,P,P]}, {@code blocks.{i}.attn.qkv.weight [3D,D]}, ..., {@code head.weight [K,D]}).
 *     A missing, unexpected or mis-shaped tensor is an {@link IllegalArgumentException} naming it.</li>
 * <li><b>Patch embedding</b>: stride-P convolution; patch token t = r*g + c (grid row r, column
 *     c); token 0 is CLS.</li>
 * <li><b>Position embedding</b>, by {@code cfg.posEmbedding()}:
 *   <ul>
 *   <li>{@code learned}: {@code pos_embed [1,T,D]} added to all T tokens.</li>
 *   <li>{@code none}: no position tensor at all (passing {@code pos_embed} is an error).</li>
 *   <li>{@code learned-2d}: {@code pos_embed_row [g,D]}, {@code pos_embed_col [g,D]},
 *       {@code pos_embed_cls [1,1,D]}; patch token t = r*g + c gets row[r] + col[c], CLS gets
 *       pos_embed_cls.</li>
 *   <li>{@code sincos2d}: the oracle does not know the formula; the caller passes the fixed table
 *       as {@code pos_embed [1,T,D]}, which is added as a constant and gets no gradient entry.</li>
 *   </ul></li>
 * <li><b>Blocks</b>: pre-norm, h = x + Proj(MHSA(LN1(x))), x = h + FC2(GELU(FC1(LN2(h)))).
 *     LayerNorm: (x - mean) / sqrt(var + 1e-6) * w + b, biased variance over D. GELU exact:
 *     x * 0.5 * (1 + erf(x / sqrt 2)) (SameDiff's {@code erf}). Attention: softmax over keys of
 *     Q_h K_h^T / sqrt(d); head h owns rows h*d..h*d+d-1 of each of Q, K, V.</li>
 * <li><b>valueProjection = identity</b>: {@code qkv.weight} is [2D, D] and {@code qkv.bias} [2D]
 *     (rows Q then K); V = LN1(x), split into heads the same way.</li>
 * <li><b>tieQk</b>: K uses Q's rows (weight and bias). The stored {@code qkv.weight} keeps its
 *     timm shape ([3D, D], or [2D, D] with identity V) and its K rows must equal its Q rows
 *     (checked exactly; mismatch is an {@link IllegalArgumentException}). The Q rows receive the
 *     sum of both gradient contributions (as query and as key); the K rows (and K bias) are
 *     reported with an exactly zero gradient.</li>
 * <li><b>Pooling</b>: {@code cls} takes token 0 after the final LayerNorm; {@code mean} averages
 *     tokens 1..N after the final LayerNorm.</li>
 * <li><b>Loss</b>: -(1/B) sum_b sum_k y[b,k] log softmax(logits[b])[k]; one-hot or soft label
 *     rows both work.</li>
 * <li><b>Dropout / drop path</b> in the config are ignored: the oracle is the deterministic
 *     function, so compare with them off.</li>
 * </ul>
 */
public final class SameDiffViT {

    /** LayerNorm epsilon of the spec (timm's ViT). */
    public static final double LAYER_NORM_EPS = 1e-6;

    private SameDiffViT() {}

    /**
     * Runs forward and backward once.
     *
     * @param images       [B, C, S, S], already normalised
     * @param oneHotLabels [B, K] label distributions (one-hot rows for hard labels)
     */
    public static OracleResult run(ViTConfig cfg, Map<String, INDArray> timmWeights, INDArray images,
                                   INDArray oneHotLabels) {
        validate(cfg, timmWeights, images, oneHotLabels);
        OracleGraph.Built g = OracleGraph.build(cfg, timmWeights, images.size(0));
        Map<String, INDArray> placeholders = Map.of(
                OracleGraph.IMAGES, images.castTo(DataType.DOUBLE).dup('c'),
                OracleGraph.LABELS, oneHotLabels.castTo(DataType.DOUBLE).dup('c'));
        List<String> outputs = new ArrayList<>(List.of(OracleGraph.LOGITS, OracleGraph.LOSS));
        outputs.addAll(g.attention());
        OutAndGrad r = g.sd().calculateGradientsAndOutputs(placeholders, outputs, g.trainable());

        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (String name : g.trainable()) gradients.put(name, r.getGradients().get(name).dup());
        List<INDArray> attention = new ArrayList<>();
        for (String name : g.attention()) attention.add(r.getOutputs().get(name).dup());
        return new OracleResult(r.getOutputs().get(OracleGraph.LOGITS).dup(),
                r.getOutputs().get(OracleGraph.LOSS).getDouble(0), gradients, attention);
    }

    static void validate(ViTConfig cfg, Map<String, INDArray> weights, INDArray images, INDArray labels) {
        if (cfg == null) throw new IllegalArgumentException("oracle: config is null");
        long[] imgShape = {-1, cfg.channels(), cfg.imageSize(), cfg.imageSize()};
        if (images == null || images.rank() != 4 || images.size(1) != imgShape[1] || images.size(2) != imgShape[2]
                || images.size(3) != imgShape[3])
            throw new IllegalArgumentException("oracle: images shape "
                    + (images == null ? "null" : Arrays.toString(images.shape())) + ", expected [B, "
                    + cfg.channels() + ", " + cfg.imageSize() + ", " + cfg.imageSize() + "]");
        if (labels == null || labels.rank() != 2 || labels.size(0) != images.size(0) || labels.size(1) != cfg.numClasses())
            throw new IllegalArgumentException("oracle: labels shape "
                    + (labels == null ? "null" : Arrays.toString(labels.shape())) + ", expected [" + images.size(0)
                    + ", " + cfg.numClasses() + "]");
        Map<String, long[]> expected = OracleWeights.expectedShapes(cfg);
        TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(expected.keySet());
        if (!unexpected.isEmpty())
            throw new IllegalArgumentException("oracle: unexpected weights " + unexpected + " for posEmbedding "
                    + cfg.posEmbedding() + ", valueProjection " + cfg.valueProjection() + ", depth " + cfg.depth());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null)
                throw new IllegalArgumentException("oracle: missing weight '" + e.getKey() + "' of shape "
                        + Arrays.toString(e.getValue()));
            if (!Arrays.equals(w.shape(), e.getValue()))
                throw new IllegalArgumentException("oracle: weight '" + e.getKey() + "' has shape "
                        + Arrays.toString(w.shape()) + ", expected " + Arrays.toString(e.getValue()));
        }
        if (cfg.tieQk()) checkTiedRows(cfg, weights);
    }

    private static void checkTiedRows(ViTConfig cfg, Map<String, INDArray> weights) {
        int d = cfg.dim();
        for (int i = 0; i < cfg.depth(); i++) {
            for (String suffix : List.of("weight", "bias")) {
                String name = "blocks." + i + ".attn.qkv." + suffix;
                INDArray w = weights.get(name).castTo(DataType.DOUBLE);
                INDArray q = suffix.equals("weight") ? w.get(NDArrayIndex.interval(0, d), NDArrayIndex.all())
                        : w.get(NDArrayIndex.interval(0, d));
                INDArray k = suffix.equals("weight") ? w.get(NDArrayIndex.interval(d, 2 * d), NDArrayIndex.all())
                        : w.get(NDArrayIndex.interval(d, 2 * d));
                // exact comparison: INDArray.equals tolerates differences up to 1e-5
                if (!Arrays.equals(q.dup('c').data().asDouble(), k.dup('c').data().asDouble()))
                    throw new IllegalArgumentException("oracle: tieQk is set but '" + name + "' rows " + d + ".." + (2 * d - 1)
                            + " (K) differ from rows 0.." + (d - 1) + " (Q); tied weights store K = Q");
            }
        }
    }
}
