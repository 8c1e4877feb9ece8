package io.vitlens.core.model.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed 2D sine-cosine position table of the {@code sincos2d} variant (as in MAE / "Simple ViT",
 * Beyer et al. 2022): a quarter of the width per function and axis.
 *
 * <p>With q = D / 4 and frequencies w_k = 10000^(-k / q), k = 0..q-1, patch token t = 1 + r*g + c
 * (grid row r, column c) gets
 * <pre>
 *   e[t, k]        = sin(r * w_k)      e[t, q + k]    = cos(r * w_k)
 *   e[t, 2q + k]   = sin(c * w_k)      e[t, 3q + k]   = cos(c * w_k)
 * </pre>
 * and the CLS token (t = 0) gets zeros. Requires D divisible by 4.
 */
public final class SinCos2d {

    private SinCos2d() {
    }

    /** The table [g*g + 1, dim] (CLS row first) in data type {@code t}. */
    public static INDArray table(int grid, int dim, DataType t) {
        requireDivisible(dim);
        int q = dim / 4;
        int tokens = grid * grid + 1;
        double[] e = new double[tokens * dim];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int o = (1 + r * grid + c) * dim;
                for (int k = 0; k < q; k++) {
                    double w = Math.pow(10000.0, -(double) k / q);
                    e[o + k] = Math.sin(r * w);
                    e[o + q + k] = Math.cos(r * w);
                    e[o + 2 * q + k] = Math.sin(c * w);
                    e[o + 3 * q + k] = Math.cos(c * w);
                }
            }
        }
        return Nd4j.createFromArray(e).reshape('c', tokens, dim).castTo(t);
    }

    /** Throws unless the width splits into four equal parts. */
    public static void requireDivisible(int dim) {
        if (dim % 4 != 0)
            throw new IllegalArgumentException("model.dim: " + dim + " is not divisible by 4, which the sincos2d "
                    + "position embedding needs (sin and cos for rows and for columns)");
    }
}
