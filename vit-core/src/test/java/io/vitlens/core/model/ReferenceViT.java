package io.vitlens.core.model;

import io.vitlens.core.Pooling;
import io.vitlens.core.ViTConfig;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/model-spec.md written out with plain loops in double precision, one image at a time, from timm-named
 * weights: the independent reference the DL4J model is checked against. Deliberately naive.
 */
final class ReferenceViT {

    private final ViTConfig cfg;
    private final Map<String, double[]> w = new HashMap<>();
    /** Per image, per block: the block's input [T][D] and attention [H][T][T] of the last run. */
    final List<List<double[][]>> blockInputs = new ArrayList<>();
    final List<List<double[][][]>> attention = new ArrayList<>();

    ReferenceViT(ViTConfig cfg, Map<String, INDArray> timm) {
        this.cfg = cfg;
        timm.forEach((k, v) -> w.put(k, v.castTo(DataType.DOUBLE).dup('c').data().asDouble()));
    }

    /** Logits [B][K] for images [B, C, S, S]. */
    double[][] logits(INDArray images) {
        int b = (int) images.size(0);
        double[] px = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int imgLen = cfg.channels() * cfg.imageSize() * cfg.imageSize();
        double[][] out = new double[b][];
        blockInputs.clear();
        attention.clear();
        for (int i = 0; i < b; i++) {
            double[] img = new double[imgLen];
            System.arraycopy(px, i * imgLen, img, 0, imgLen);
            out[i] = forward(img);
        }
        return out;
    }

    private double[] forward(double[] img) {
        int c = cfg.channels(), s = cfg.imageSize(), p = cfg.patchSize(), g = cfg.gridSize();
        int t = cfg.numTokens(), d = cfg.dim();
        double[][] x = new double[t][d];
        double[] pw = w.get("patch_embed.proj.weight"), pb = w.get("patch_embed.proj.bias");
        for (int r = 0; r < g; r++)
            for (int col = 0; col < g; col++)
                for (int o = 0; o < d; o++) {
                    double v = pb[o];
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < p; i++)
                            for (int j = 0; j < p; j++)
                                v += pw[((o * c + ch) * p + i) * p + j] * img[(ch * s + r * p + i) * s + col * p + j];
                    x[1 + r * g + col][o] = v;
                }
        System.arraycopy(w.get("cls_token"), 0, x[0], 0, d);
        double[] pos = w.get("pos_embed");
        if (pos != null)
            for (int k = 0; k < t; k++)
                for (int j = 0; j < d; j++) x[k][j] += pos[k * d + j];

        List<double[][]> inputs = new ArrayList<>();
        List<double[][][]> attn = new ArrayList<>();
        for (int l = 0; l < cfg.depth(); l++) {
            inputs.add(copy(x));
            x = block(x, "blocks." + l + ".", attn);
        }
        blockInputs.add(inputs);
        attention.add(attn);

        double[][] y = layerNorm(x, w.get("norm.weight"), w.get("norm.bias"));
        double[] f = new double[d];
        if (cfg.pooling() == Pooling.CLS) {
            f = y[0];
        } else {
            for (int k = 1; k < t; k++)
                for (int j = 0; j < d; j++) f[j] += y[k][j] / (t - 1);
        }
        return linear(new double[][]{f}, w.get("head.weight"), w.get("head.bias"))[0];
    }

    private double[][] block(double[][] x, String p, List<double[][][]> attnOut) {
        int t = x.length, d = cfg.dim(), h = cfg.heads(), hd = cfg.headDim();
        double[][] y = layerNorm(x, w.get(p + "norm1.weight"), w.get(p + "norm1.bias"));
        double[][] qkv = linear(y, w.get(p + "attn.qkv.weight"), w.get(p + "attn.qkv.bias"));
        double[][] o = new double[t][d];
        double[][][] a = new double[h][t][t];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < t; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double sc = 0;
                    for (int k = 0; k < hd; k++) sc += qkv[i][head * hd + k] * qkv[j][d + head * hd + k];
                    a[head][i][j] = sc / Math.sqrt(hd);
                    max = Math.max(max, a[head][i][j]);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) sum += a[head][i][j] = Math.exp(a[head][i][j] - max);
                for (int j = 0; j < t; j++) a[head][i][j] /= sum;
                for (int k = 0; k < hd; k++) {
                    double v = 0;
                    for (int j = 0; j < t; j++) v += a[head][i][j] * qkv[j][2 * d + head * hd + k];
                    o[i][head * hd + k] = v;
                }
            }
        }
        attnOut.add(a);
        double[][] proj = linear(o, w.get(p + "attn.proj.weight"), w.get(p + "attn.proj.bias"));
        double[][] hres = new double[t][d];
        for (int i = 0; i < t; i++)
            for (int j = 0; j < d; j++) hres[i][j] = x[i][j] + proj[i][j];
        double[][] y2 = layerNorm(hres, w.get(p + "norm2.weight"), w.get(p + "norm2.bias"));
        double[][] u = linear(y2, w.get(p + "mlp.fc1.weight"), w.get(p + "mlp.fc1.bias"));
        for (double[] row : u)
            for (int j = 0; j < row.length; j++) row[j] = 0.5 * row[j] * (1 + Erf.erf(row[j] / Math.sqrt(2)));
        double[][] m = linear(u, w.get(p + "mlp.fc2.weight"), w.get(p + "mlp.fc2.bias"));
        for (int i = 0; i < t; i++)
            for (int j = 0; j < d; j++) hres[i][j] += m[i][j];
        return hres;
    }

    /** y = x W^T + b, W [out][in] row-major (PyTorch Linear). */
    static double[][] linear(double[][] x, double[] weight, double[] bias) {
        int out = bias.length, in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++)
            for (int o = 0; o < out; o++) {
                double v = bias[o];
                for (int k = 0; k < in; k++) v += x[i][k] * weight[o * in + k];
                y[i][o] = v;
            }
        return y;
    }

    static double[][] layerNorm(double[][] x, double[] gamma, double[] beta) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            double mu = 0, var = 0;
            for (double v : x[i]) mu += v / d;
            for (double v : x[i]) var += (v - mu) * (v - mu) / d;
            y[i] = new double[d];
            for (int j = 0; j < d; j++) y[i][j] = (x[i][j] - mu) / Math.sqrt(var + 1e-6) * gamma[j] + beta[j];
        }
        return y;
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) c[i] = x[i].clone();
        return c;
    }
}
