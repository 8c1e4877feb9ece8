package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.Pooling;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docs/model-spec.md written a second time, as plain loops over double arrays, sharing no code with
 * the SameDiff oracle (erf comes from Commons Math). Slow, obvious and only for tiny configs:
 * it exists so that the oracle is checked against something that is not itself.
 */
final class PlainJavaViT {

    /** logits [B][K], loss, attention [L][B][H][T][T]. */
    record Result(double[][] logits, double loss, double[][][][][] attention) {}

    private final ViTConfig cfg;
    private final Map<String, double[]> w;   // c-order flat weights by timm name
    private final int c, s, p, g, n, t, dim, heads, hd, m, k;

    PlainJavaViT(ViTConfig cfg, Map<String, double[]> weights) {
        this.cfg = cfg;
        this.w = weights;
        c = cfg.channels(); s = cfg.imageSize(); p = cfg.patchSize(); g = cfg.gridSize(); n = cfg.numPatches();
        t = cfg.numTokens(); dim = cfg.dim(); heads = cfg.heads(); hd = cfg.headDim(); m = cfg.mlpDim();
        k = cfg.numClasses();
    }

    static Map<String, double[]> flatten(Map<String, INDArray> weights) {
        Map<String, double[]> out = new LinkedHashMap<>();
        weights.forEach((name, a) -> out.put(name, flat(a)));
        return out;
    }

    static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** images c-order [B][C][S][S] flattened, labels [B][K] flattened. */
    Result forward(double[] images, double[] labels, int batch) {
        double[][] logits = new double[batch][];
        double[][][][][] att = new double[cfg.depth()][batch][][][];
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            double[][] x = embed(images, b);
            for (int l = 0; l < cfg.depth(); l++) {
                double[][][] a = new double[heads][][];
                x = block(l, x, a);
                att[l][b] = a;
            }
            double[][] y = new double[t][];
            for (int i = 0; i < t; i++) y[i] = layerNorm(x[i], "norm");
            double[] pooled = new double[dim];
            if (cfg.pooling() == Pooling.CLS) {
                pooled = y[0];
            } else {
                for (int i = 1; i < t; i++) for (int j = 0; j < dim; j++) pooled[j] += y[i][j] / n;
            }
            logits[b] = affine(pooled, "head.weight", "head.bias", 0, k, dim);
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits[b]) max = Math.max(max, z);
            double sum = 0;
            for (double z : logits[b]) sum += Math.exp(z - max);
            for (int j = 0; j < k; j++) loss -= labels[b * k + j] * (logits[b][j] - max - Math.log(sum)) / batch;
        }
        return new Result(logits, loss, att);
    }

    /** Patch tokens by explicit convolution sums, CLS at 0, plus position embedding: [T][D]. */
    private double[][] embed(double[] img, int b) {
        double[] pw = w.get("patch_embed.proj.weight"), pb = w.get("patch_embed.proj.bias");
        double[][] x = new double[t][dim];
        x[0] = w.get("cls_token").clone();
        for (int r = 0; r < g; r++)
            for (int col = 0; col < g; col++) {
                int tok = 1 + r * g + col;
                for (int o = 0; o < dim; o++) {
                    double acc = pb[o];
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < p; i++)
                            for (int j = 0; j < p; j++)
                                acc += pw[((o * c + ch) * p + i) * p + j]
                                        * img[((b * c + ch) * s + r * p + i) * s + col * p + j];
                    x[tok][o] = acc;
                }
            }
        PosEmbedding pe = cfg.posEmbedding();
        for (int tok = 0; tok < t; tok++)
            for (int o = 0; o < dim; o++) {
                if (pe == PosEmbedding.LEARNED || pe == PosEmbedding.SINCOS_2D) {
                    x[tok][o] += w.get("pos_embed")[tok * dim + o];
                } else if (pe == PosEmbedding.LEARNED_2D) {
                    if (tok == 0) x[tok][o] += w.get("pos_embed_cls")[o];
                    else x[tok][o] += w.get("pos_embed_row")[((tok - 1) / g) * dim + o]
                            + w.get("pos_embed_col")[((tok - 1) % g) * dim + o];
                }
            }
        return x;
    }

    private double[][] block(int l, double[][] x, double[][][] attOut) {
        String pre = "blocks." + l + ".";
        String qkvW = pre + "attn.qkv.weight", qkvB = pre + "attn.qkv.bias";
        boolean identityV = cfg.valueProjection() == ValueProjection.IDENTITY;
        int kRowOffset = cfg.tieQk() ? 0 : dim;
        double[][] q = new double[t][], kk = new double[t][], v = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] ln = layerNorm(x[i], pre + "norm1");
            q[i] = affine(ln, qkvW, qkvB, 0, dim, dim);
            kk[i] = affine(ln, qkvW, qkvB, kRowOffset, dim, dim);
            v[i] = identityV ? ln : affine(ln, qkvW, qkvB, 2 * dim, dim, dim);
        }
        double[][] o = new double[t][dim];
        for (int h = 0; h < heads; h++) {
            double[][] a = new double[t][t];
            for (int i = 0; i < t; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) dot += q[i][h * hd + e] * kk[j][h * hd + e];
                    a[i][j] = dot / Math.sqrt(hd);
                    max = Math.max(max, a[i][j]);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) sum += (a[i][j] = Math.exp(a[i][j] - max));
                for (int j = 0; j < t; j++) a[i][j] /= sum;
                for (int j = 0; j < t; j++)
                    for (int e = 0; e < hd; e++) o[i][h * hd + e] += a[i][j] * v[j][h * hd + e];
            }
            attOut[h] = a;
        }
        double[][] out = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] proj = affine(o[i], pre + "attn.proj.weight", pre + "attn.proj.bias", 0, dim, dim);
            double[] hres = new double[dim];
            for (int j = 0; j < dim; j++) hres[j] = x[i][j] + proj[j];
            double[] hidden = affine(layerNorm(hres, pre + "norm2"), pre + "mlp.fc1.weight", pre + "mlp.fc1.bias", 0, m, dim);
            for (int j = 0; j < m; j++) hidden[j] = hidden[j] * 0.5 * (1 + Erf.erf(hidden[j] / Math.sqrt(2)));
            double[] mlp = affine(hidden, pre + "mlp.fc2.weight", pre + "mlp.fc2.bias", 0, dim, m);
            out[i] = new double[dim];
            for (int j = 0; j < dim; j++) out[i][j] = hres[j] + mlp[j];
        }
        return out;
    }

    /** y[o] = bias[row0 + o] + sum_i W[row0 + o][i] x[i], for o < outDim; W stored [rows, inDim]. */
    private double[] affine(double[] x, String weight, String bias, int row0, int outDim, int inDim) {
        double[] wt = w.get(weight), bs = w.get(bias);
        double[] y = new double[outDim];
        for (int o = 0; o < outDim; o++) {
            double acc = bs[row0 + o];
            for (int i = 0; i < inDim; i++) acc += wt[(row0 + o) * inDim + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    private double[] layerNorm(double[] x, String prefix) {
        double mean = 0;
        for (double v : x) mean += v / x.length;
        double var = 0;
        for (double v : x) var += (v - mean) * (v - mean) / x.length;
        double[] gamma = w.get(prefix + ".weight"), beta = w.get(prefix + ".bias");
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + 1e-6) * gamma[i] + beta[i];
        return y;
    }
}
