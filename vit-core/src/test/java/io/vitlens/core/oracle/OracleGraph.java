package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the SameDiff graph of docs/model-spec.md for one configuration and batch size, from
 * elementary ops only (matmul, reshape, permute, slice, concat, add, mul, exp, log, erf, sqrt,
 * sum, mean, max) so that every formula is visible here and its gradient comes from SameDiff's
 * autodiff of those ops. See {@link SameDiffViT} for the conventions.
 *
 * <p>Dimension letters: B batch, C channels, S image side, P patch side, g = S/P, N = g*g,
 * T = N+1, D width, H heads, d = D/H, M MLP width, K classes.
 */
final class OracleGraph {

    static final String IMAGES = "images";
    static final String LABELS = "labels";
    static final String LOGITS = "logits";
    static final String LOSS = "loss";

    /** The graph and the names of what to read from it. */
    record Built(SameDiff sd, List<String> trainable, List<String> attention) {}

    private final ViTConfig cfg;
    private final long b;
    private final SameDiff sd = SameDiff.create();
    private final List<String> trainable = new ArrayList<>();
    private final List<String> attention = new ArrayList<>();

    private OracleGraph(ViTConfig cfg, long batch) {
        this.cfg = cfg;
        this.b = batch;
    }

    /** Weights must already be validated against {@link OracleWeights#expectedShapes}. */
    static Built build(ViTConfig cfg, Map<String, INDArray> weights, long batch) {
        return new OracleGraph(cfg, batch).build(weights);
    }

    private Built build(Map<String, INDArray> weights) {
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray copy = e.getValue().castTo(DataType.DOUBLE).dup('c');
            boolean fixed = e.getKey().equals("pos_embed") && cfg.posEmbedding() == PosEmbedding.SINCOS_2D;
            if (fixed) {
                sd.constant(e.getKey(), copy);
            } else {
                sd.var(e.getKey(), copy);
                trainable.add(e.getKey());
            }
        }
        long c = cfg.channels(), s = cfg.imageSize(), k = cfg.numClasses();
        SDVariable images = sd.placeHolder(IMAGES, DataType.DOUBLE, b, c, s, s);
        SDVariable labels = sd.placeHolder(LABELS, DataType.DOUBLE, b, k);

        SDVariable x = positions(withCls(patchEmbed(images)));            // [B, T, D]
        for (int i = 0; i < cfg.depth(); i++) x = block(i, x);
        SDVariable pooled = pool(layerNorm(x, "norm"));                     // [B, D]
        SDVariable logits = linear2d(pooled, "head").rename(LOGITS);        // [B, K]
        loss(logits, labels);
        sd.setLossVariables(LOSS);
        return new Built(sd, List.copyOf(trainable), List.copyOf(attention));
    }

    /** Conv with kernel = stride = P, as patches in (C, P, P) order times the flattened kernel. */
    private SDVariable patchEmbed(SDVariable images) {
        long c = cfg.channels(), p = cfg.patchSize(), g = cfg.gridSize(), n = cfg.numPatches(), d = cfg.dim();
        SDVariable x = sd.reshape(images, b, c, g, p, g, p);              // [B, C, gr, P, gc, P]
        x = sd.permute(x, 0, 2, 4, 1, 3, 5);                              // [B, gr, gc, C, P, P]
        x = sd.reshape(x, b * n, c * p * p);                              // [B*N, C*P*P], row = b*N + r*g + c
        SDVariable w = sd.reshape(sd.getVariable("patch_embed.proj.weight"), d, c * p * p);  // [D, C*P*P]
        SDVariable y = sd.mmul(x, w, false, true, false).add(sd.getVariable("patch_embed.proj.bias"));
        return sd.reshape(y, b, n, d);                                    // [B, N, D]
    }

    private SDVariable withCls(SDVariable tokens) {
        SDVariable ones = sd.constant("cls_broadcast", Nd4j.ones(DataType.DOUBLE, b, 1, 1));
        SDVariable cls = ones.mul(sd.getVariable("cls_token"));           // [B, 1, D]
        return sd.concat(1, cls, tokens);                                 // [B, T, D]
    }

    private SDVariable positions(SDVariable x) {
        long g = cfg.gridSize(), n = cfg.numPatches(), d = cfg.dim(), t = cfg.numTokens();
        return switch (cfg.posEmbedding()) {
            case LEARNED, SINCOS_2D -> x.add(sd.getVariable("pos_embed"));   // + [1, T, D]
            case NONE -> x;
            case LEARNED_2D -> {
                SDVariable rows = sd.reshape(sd.getVariable("pos_embed_row"), g, 1, d);
                SDVariable cols = sd.reshape(sd.getVariable("pos_embed_col"), 1, g, d);
                SDVariable grid = sd.reshape(rows.add(cols), n, d);           // [N, D], token r*g+c = row[r]+col[c]
                SDVariable cls = sd.reshape(sd.getVariable("pos_embed_cls"), 1, d);
                yield x.add(sd.reshape(sd.concat(0, cls, grid), 1, t, d));    // + [1, T, D]
            }
        };
    }

    private SDVariable block(int i, SDVariable x) {
        String p = "blocks." + i + ".";
        SDVariable h = x.add(attention(i, layerNorm(x, p + "norm1")));          // [B, T, D]
        SDVariable m = linear(gelu(linear(layerNorm(h, p + "norm2"), p + "mlp.fc1")), p + "mlp.fc2");
        return h.add(m);
    }

    /** Multi-head self-attention with the projection; records the pattern as blocks.i.attn.pattern. */
    private SDVariable attention(int i, SDVariable x) {
        long t = cfg.numTokens(), d = cfg.dim(), heads = cfg.heads(), hd = cfg.headDim();
        String p = "blocks." + i + ".attn.";
        SDVariable flat = sd.reshape(x, b * t, d);                        // [B*T, D]
        SDVariable w = sd.getVariable(p + "qkv.weight");                  // [3D or 2D, D]
        SDVariable bias = sd.getVariable(p + "qkv.bias");
        SDVariable q = rowsProjection(flat, w, bias, 0);                  // [B*T, D]
        // tieQk: K reuses the Q rows; the stored K rows are never read and get zero gradient
        SDVariable k = cfg.tieQk() ? q : rowsProjection(flat, w, bias, 1);
        SDVariable v = cfg.valueProjection() == ValueProjection.IDENTITY ? flat : rowsProjection(flat, w, bias, 2);

        SDVariable qh = splitHeads(q, t, heads, hd);                      // [B, H, T, d]
        SDVariable kh = splitHeads(k, t, heads, hd);
        SDVariable vh = splitHeads(v, t, heads, hd);
        SDVariable scores = sd.mmul(qh, kh, false, true, false).mul(1.0 / Math.sqrt(hd));  // [B, H, T, T]
        SDVariable pattern = softmax(scores, 3).rename(p + "pattern");
        attention.add(pattern.name());
        SDVariable o = sd.mmul(pattern, vh);                              // [B, H, T, d]
        o = sd.reshape(sd.permute(o, 0, 2, 1, 3), b * t, d);              // [B*T, D], head h at columns h*d..
        return sd.reshape(linear2d(o, p + "proj"), b, t, d);             // [B, T, D]
    }

    /** x W[j*D .. j*D+D-1]^T + bias[j*D ..]: the j-th (0 = Q, 1 = K, 2 = V) D-row block of the fused qkv. */
    private SDVariable rowsProjection(SDVariable flat, SDVariable w, SDVariable bias, int j) {
        int d = cfg.dim();
        SDVariable wj = sd.slice(w, new int[]{j * d, 0}, d, d);          // [D, D]
        SDVariable bj = sd.slice(bias, new int[]{j * d}, d);             // [D]
        return sd.mmul(flat, wj, false, true, false).add(bj);
    }

    private SDVariable splitHeads(SDVariable x, long t, long heads, long hd) {
        return sd.permute(sd.reshape(x, b, t, heads, hd), 0, 2, 1, 3);   // [B, H, T, d]
    }

    /** exp(s - max) / sum exp(s - max) along {@code axis}; the max only guards against overflow. */
    private SDVariable softmax(SDVariable s, int axis) {
        SDVariable e = sd.math().exp(s.sub(sd.max(s, true, axis)));
        return e.div(sd.sum(e, true, axis));
    }

    /** (x - mean) / sqrt(var + 1e-6) * weight + bias over the last axis of [B, T, D]; biased variance. */
    private SDVariable layerNorm(SDVariable x, String prefix) {
        SDVariable centred = x.sub(sd.mean(x, true, 2));
        SDVariable var = sd.mean(sd.math().square(centred), true, 2);     // [B, T, 1]
        SDVariable normed = centred.div(sd.math().sqrt(var.add(SameDiffViT.LAYER_NORM_EPS)));
        return normed.mul(sd.getVariable(prefix + ".weight")).add(sd.getVariable(prefix + ".bias"));
    }

    /** Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)). */
    private SDVariable gelu(SDVariable x) {
        return x.mul(0.5).mul(sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0));
    }

    /** A timm Linear on tokens: [B, T, in] -> [B, T, out]. */
    private SDVariable linear(SDVariable x, String prefix) {
        long[] wShape = sd.getVariable(prefix + ".weight").getArr().shape();   // [out, in]
        long t = cfg.numTokens();
        return sd.reshape(linear2d(sd.reshape(x, b * t, wShape[1]), prefix), b, t, wShape[0]);
    }

    /** x W^T + bias for x [rows, in], W [out, in]. */
    private SDVariable linear2d(SDVariable x, String prefix) {
        return sd.mmul(x, sd.getVariable(prefix + ".weight"), false, true, false).add(sd.getVariable(prefix + ".bias"));
    }

    private SDVariable pool(SDVariable x) {
        long n = cfg.numPatches(), d = cfg.dim();
        return switch (cfg.pooling()) {
            case CLS -> sd.reshape(sd.slice(x, new int[]{0, 0, 0}, (int) b, 1, (int) d), b, d);   // token 0
            case MEAN -> sd.mean(sd.slice(x, new int[]{0, 1, 0}, (int) b, (int) n, (int) d), 1);  // tokens 1..N
        };
    }

    /** -(1/B) sum_b sum_k y[b,k] log softmax(logits)[b,k]. */
    private void loss(SDVariable logits, SDVariable labels) {
        SDVariable z = logits.sub(sd.max(logits, true, 1));
        SDVariable logProb = z.sub(sd.math().log(sd.sum(sd.math().exp(z), true, 1)));    // [B, K]
        sd.sum(labels.mul(logProb)).mul(-1.0 / b).rename(LOSS);
    }
}
