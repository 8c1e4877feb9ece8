package io.vitlens.analysis.examples;

/**
 * Attention rollout (Abnar and Zuidema 2020, "Quantifying Attention Flow in Transformers", eq. 1):
 * each layer's heads are fused into one map, the residual connection is modelled by
 * A' = 0.5 A + 0.5 I with rows renormalised to sum 1, and the layers are multiplied from the first
 * upwards, R = A'_{L-1} ... A'_1 A'_0, so row i of R says how much of each input token reached
 * token i at the top. Renormalising after the residual step is what makes max and min fusion
 * (whose rows no longer sum to 1) comparable with mean fusion.
 *
 * <p>T is the token count (CLS = token 0); maps are [T][T], row = query, column = key.
 */
public final class AttentionRollout {

    private AttentionRollout() { }

    /**
     * @param layers per layer, the heads' attention of one image: [L][H][T][T]
     * @return R = A'_{L-1} ... A'_0, [T][T]
     */
    public static double[][] rollout(double[][][][] layers, HeadFusion fusion) {
        if (layers.length == 0) throw new IllegalArgumentException("rollout: no layers");
        int t = layers[0][0].length;
        double[][] r = identity(t);
        for (double[][][] heads : layers) r = multiply(residual(fuse(heads, fusion)), r); // [T, T]
        return r;
    }

    /** One map from the heads of a layer, entry by entry. */
    static double[][] fuse(double[][][] heads, HeadFusion fusion) {
        int t = heads[0].length;
        double[][] out = new double[t][t];
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++) {
                double acc = fusion == HeadFusion.MAX ? Double.NEGATIVE_INFINITY
                        : fusion == HeadFusion.MIN ? Double.POSITIVE_INFINITY : 0;
                for (double[][] h : heads) {
                    double v = h[i][j];
                    acc = switch (fusion) {
                        case MEAN -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                out[i][j] = fusion == HeadFusion.MEAN ? acc / heads.length : acc;
            }
        return out;
    }

    /** 0.5 A + 0.5 I, each row divided by its sum (the residual stream carries the token itself). */
    static double[][] residual(double[][] a) {
        int t = a.length;
        double[][] out = new double[t][t];
        for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
                out[i][j] = 0.5 * a[i][j] + (i == j ? 0.5 : 0);
                sum += out[i][j];
            }
            for (int j = 0; j < t; j++) out[i][j] /= sum;
        }
        return out;
    }

    static double[][] identity(int t) {
        double[][] m = new double[t][t];
        for (int i = 0; i < t; i++) m[i][i] = 1;
        return m;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++) {
                double v = a[i][p];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) c[i][j] += v * b[p][j];
            }
        return c;
    }
}
