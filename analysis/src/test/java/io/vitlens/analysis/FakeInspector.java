package io.vitlens.analysis;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.inspect.ModelInspector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A ModelInspector over constructed arrays, so tests know the right answers: attention maps,
 * block inputs, position embeddings and W_Q / W_K are whatever the test builds. Image identity is
 * read from the first pixel of each image (tests put an image id there).
 */
final class FakeInspector implements ModelInspector {

    /** Attention of one (image, layer, head): [T][T], rows should sum to 1. */
    interface AttentionFn { double[][] map(int imageId, int layer, int head); }

    /** Token representations entering one block for one image: [T][D]. */
    interface BlockInputFn { double[][] tokens(int imageId, int layer); }

    private final ViTConfig cfg;
    private final double[][] positions;   // [N][D] or null
    private final AttentionFn attention;
    private final BlockInputFn inputs;
    final double[][][][] wq, wk;          // [L][H][d][D]
    final double[][][] bq, bk;            // [L][H][d]
    int traceCalls;

    FakeInspector(ViTConfig cfg, double[][] positions, AttentionFn attention, BlockInputFn inputs,
                  double[][][][] wq, double[][][][] wk, double[][][] bq, double[][][] bk) {
        this.cfg = cfg;
        this.positions = positions;
        this.attention = attention;
        this.inputs = inputs;
        this.wq = wq;
        this.wk = wk;
        this.bq = bq;
        this.bk = bk;
    }

    /** Random W_Q, W_K (independent, or tied), zero biases. */
    static double[][][][][] randomWeights(ViTConfig c, long seed, boolean tied) {
        Random rnd = new Random(seed);
        int l = c.depth(), h = c.heads(), d = c.headDim(), dim = c.dim();
        double[][][][] q = new double[l][h][d][dim], k = new double[l][h][d][dim];
        for (int a = 0; a < l; a++)
            for (int b = 0; b < h; b++)
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < dim; j++) {
                        q[a][b][i][j] = rnd.nextGaussian() / Math.sqrt(dim);
                        k[a][b][i][j] = tied ? q[a][b][i][j] : rnd.nextGaussian() / Math.sqrt(dim);
                    }
        return new double[][][][][]{q, k};
    }

    static double[][][] zeroBias(ViTConfig c) { return new double[c.depth()][c.heads()][c.headDim()]; }

    /** Images [n, C, S, S] whose first pixel is the image id 0..n-1 and the rest small noise. */
    static INDArray images(ViTConfig c, int n, long seed) {
        Random rnd = new Random(seed);
        int s = c.imageSize(), per = c.channels() * s * s;
        float[] data = new float[n * per];
        for (int i = 0; i < n; i++) {
            data[i * per] = i;
            for (int j = 1; j < per; j++) data[i * per + j] = (float) (0.1 * rnd.nextGaussian());
        }
        return Nd4j.create(data, new long[]{n, c.channels(), s, s}, DataType.FLOAT);
    }

    @Override public ViTConfig config() { return cfg; }

    @Override public INDArray patchPositionEmbeddings() {
        return positions == null ? null : Nd4j.create(positions).castTo(DataType.FLOAT);
    }

    @Override public ForwardTrace trace(INDArray images) {
        traceCalls++;
        int b = (int) images.size(0), t = cfg.numTokens(), h = cfg.heads(), dim = cfg.dim();
        List<INDArray> att = new ArrayList<>(), in = new ArrayList<>();
        int[] ids = new int[b];
        for (int i = 0; i < b; i++) ids[i] = Math.round(images.getFloat(i, 0, 0, 0));
        for (int l = 0; l < cfg.depth(); l++) {
            float[] a = new float[b * h * t * t];
            float[] x = new float[b * t * dim];
            for (int i = 0; i < b; i++) {
                for (int hh = 0; hh < h; hh++) {
                    double[][] m = attention.map(ids[i], l, hh);
                    int base = (i * h + hh) * t * t;
                    for (int q = 0; q < t; q++)
                        for (int k = 0; k < t; k++) a[base + q * t + k] = (float) m[q][k];
                }
                double[][] tok = inputs.tokens(ids[i], l);
                for (int q = 0; q < t; q++)
                    for (int c = 0; c < dim; c++) x[(i * t + q) * dim + c] = (float) tok[q][c];
            }
            att.add(Nd4j.create(a, new long[]{b, h, t, t}, DataType.FLOAT));
            in.add(Nd4j.create(x, new long[]{b, t, dim}, DataType.FLOAT));
        }
        return new ForwardTrace(in, att, Nd4j.zeros(DataType.FLOAT, b, cfg.numClasses()));
    }

    @Override public INDArray[] queriesAndKeys(int layer, INDArray tokens) {
        double[][] x = tokens.toDoubleMatrix(); // [T', D]
        int n = x.length, h = cfg.heads(), d = cfg.headDim();
        double[][] ln = new double[n][];
        for (int i = 0; i < n; i++) ln[i] = layerNorm(x[i]);
        double[] q = new double[h * n * d], k = new double[h * n * d];
        for (int hh = 0; hh < h; hh++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    q[(hh * n + i) * d + j] = dot(wq[layer][hh][j], ln[i]) + bq[layer][hh][j];
                    k[(hh * n + i) * d + j] = dot(wk[layer][hh][j], ln[i]) + bk[layer][hh][j];
                }
        return new INDArray[]{Nd4j.create(q, new long[]{h, n, d}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(k, new long[]{h, n, d}, 'c').castTo(DataType.FLOAT)};
    }

    @Override public INDArray queryWeight(int layer, int head) { return Nd4j.create(wq[layer][head]); }

    @Override public INDArray keyWeight(int layer, int head) { return Nd4j.create(wk[layer][head]); }

    static double[] layerNorm(double[] v) {
        double m = 0, var = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) var += (x - m) * (x - m);
        var /= v.length;
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = (v[i] - m) / Math.sqrt(var + 1e-6);
        return o;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
