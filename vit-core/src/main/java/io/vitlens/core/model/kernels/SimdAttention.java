package io.vitlens.core.model.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The attention heads of one image on heap arrays with the Vector API: the four small products per head
 * (S = Q K^T, O = A V and, backward, dA = dO V^T, dV = A^T dO, dQ = dS K, dK = dS^T Q) with the softmax
 * and its backward fused in while the rows are in cache. Only loaded when {@link Simd#AVAILABLE}.
 *
 * <p>Why: at CIFAR token counts a head's products are 65 x 65 x 32, where one OpenBLAS call per product
 * reached ~100 GFLOP/s on 2 cores against ~160 for these register-blocked loops (measured on the forward
 * products of a 128-image batch, docs/performance.md), and the separate softmax passes over the
 * [B*H*T, T] probabilities went out to memory and back.
 *
 * <p>Layout: an image's rows of a [B*T, width] buffer are one contiguous span, copied in and out whole.
 * Q_h, K_h, V_h are the d columns from {@code col + h*d} of their span. Products run over rows padded to
 * whole vectors ({@link #padded}); padding columns are computed from zeros and never read back. Every
 * element is a fixed-order sum, so results do not depend on threads or JIT state. Requires d to be a
 * multiple of the vector length ({@link #supports}).
 */
public final class SimdAttention {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SimdAttention() {
    }

    /** System property: {@code -Dvitlens.simdAttention=false} keeps the per-head OpenBLAS products (for A/B runs). */
    public static final String PROPERTY = "vitlens.simdAttention";
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));

    /** Whether heads of width {@code headDim} fit whole vectors (and the kernels are not switched off). */
    public static boolean supports(int headDim) {
        return ENABLED && headDim % L == 0;
    }

    /** {@code n} rounded up to whole vectors. */
    public static int padded(int n) {
        return SimdRows.padded(n);
    }

    /** Per-thread heap arrays for one image of T tokens and heads of width d. */
    public static final class Scratch {
        final int tokens, headDim, tp;
        final float[] yt;     // [d, Tp]   a transposed head (K_h or V_h)
        final float[] s;      // [T, Tp]   scores / their gradient
        final float[] rowMax; // [T]       per-row softmax scratch

        public Scratch(int tokens, int headDim) {
            this.tokens = tokens;
            this.headDim = headDim;
            this.tp = padded(tokens);
            yt = new float[headDim * tp];
            s = new float[tokens * tp];
            rowMax = new float[tokens];
        }

        public boolean fits(int t, int d) {
            return t == tokens && d == headDim;
        }
    }

    /**
     * Forward for one image: for each head, A_h = softmax(scale * Q_h K_h^T) into {@code attn} [H, T, T] and
     * O_h = A_h V_h into columns h*d of {@code out} [T, H*d].
     */
    public static void forward(float[] qk, int ld, int qCol, int kCol, float[] v, int ldv, int vCol,
                               int heads, float scale, float[] attn, float[] out, Scratch w) {
        int t = w.tokens, d = w.headDim, tp = w.tp, width = heads * d;
        for (int h = 0; h < heads; h++) {
            transpose(qk, kCol + h * d, ld, t, d, w.yt, tp);
            abt(qk, qCol + h * d, ld, w.yt, tp, w.s, tp, t, tp, d, scale);          // scores [T, Tp]
            int a0 = h * t * t;
            SimdRows.softmaxRows(w.s, 0, tp, t, t, w.rowMax);                          // A_h, in place
            for (int i = 0; i < t; i++) System.arraycopy(w.s, i * tp, attn, a0 + i * t, t);
            ab(w.s, 0, tp, v, vCol + h * d, ldv, out, h * d, width, t, d, t, 1f, false);   // O_h = A_h V_h
        }
    }

    /**
     * Backward for one image from dOut [T, H*d] and the forward's {@code attn}: dQ_h, dK_h into {@code dqk}
     * (same layout as qk; with tied Q/K, qCol == kCol, their sum) and dV_h into {@code dv} from column
     * {@code dvCol}, overwriting.
     */
    public static void backward(float[] qk, int ld, int qCol, int kCol, float[] v, int ldv, int vCol,
                                int heads, float scale, float[] attn, float[] dOut,
                                float[] dqk, float[] dv, int lddv, int dvCol, Scratch w) {
        int t = w.tokens, d = w.headDim, tp = w.tp, width = heads * d;
        boolean tied = qCol == kCol;
        for (int h = 0; h < heads; h++) {
            int a0 = h * t * t;
            // dV_h = A_h^T dO_h, reading A_h by columns (no transposed copy)
            atb(attn, a0, t, dOut, h * d, width, dv, dvCol + h * d, lddv, t, d, t, 1f, false);
            // dA = dO_h V_h^T, then dS = A * (dA - rowsum(dA * A)) in place
            transpose(v, vCol + h * d, ldv, t, d, w.yt, tp);
            abt(dOut, h * d, width, w.yt, tp, w.s, tp, t, tp, d, 1f);
            for (int i = 0; i < t; i++) SimdRows.softmaxBackward(attn, a0 + i * t, w.s, i * tp, t);
            // dQ_h = scale * dS K_h; dK_h = scale * dS^T Q_h (added onto dQ_h when K is Q)
            ab(w.s, 0, tp, qk, kCol + h * d, ld, dqk, qCol + h * d, ld, t, d, t, scale, false);
            atb(w.s, 0, tp, qk, qCol + h * d, ld, dqk, kCol + h * d, ld, t, d, t, scale, tied);
        }
    }

    /** dst[c * ldd + r] = src[off + r * lds + c] for r < rows, c < cols; dst columns rows.. are zeroed. */
    static void transpose(float[] src, int off, int lds, int rows, int cols, float[] dst, int ldd) {
        for (int c = 0; c < cols; c++) {
            int o = c * ldd;
            for (int r = 0; r < rows; r++) dst[o + r] = src[off + r * lds + c];
            for (int r = rows; r < ldd; r++) dst[o + r] = 0f;
        }
    }

    /**
     * C[i, j] = alpha * sum_p X[xo + i*ldx + p] * YT[p*ldy + j] for i < m, j < n (n a multiple of the vector
     * length): X times a transposed Y. Four rows of C by two vectors of columns at a time, eight independent
     * accumulators.
     *
     * <p>The same loops as {@link #ab} with {@code vo = co = 0} and no accumulation, kept as a method of its own
     * on purpose: the JIT specialises a method to the shapes it has seen, and with the scores' [65, 32] x
     * [32, 80] calls routed through {@code ab} as well, the backward attention took ~50 ms per tiny step in two
     * of four runs instead of 27-29 (docs/performance.md).
     */
    static void abt(float[] x, int xo, int ldx, float[] yt, int ldy, float[] c, int ldc, int m, int n, int k,
                    float alpha) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int x0 = xo + i * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
            int c0 = i * ldc;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int p = 0; p < k; p++) {
                    FloatVector y0 = FloatVector.fromArray(S, yt, p * ldy + j);
                    FloatVector y1 = FloatVector.fromArray(S, yt, p * ldy + j + L);
                    FloatVector q0 = FloatVector.broadcast(S, x[x0 + p]), q1 = FloatVector.broadcast(S, x[x1 + p]);
                    FloatVector q2 = FloatVector.broadcast(S, x[x2 + p]), q3 = FloatVector.broadcast(S, x[x3 + p]);
                    a0 = y0.fma(q0, a0);
                    a1 = y0.fma(q1, a1);
                    a2 = y0.fma(q2, a2);
                    a3 = y0.fma(q3, a3);
                    b0 = y1.fma(q0, b0);
                    b1 = y1.fma(q1, b1);
                    b2 = y1.fma(q2, b2);
                    b3 = y1.fma(q3, b3);
                }
                store(a0, alpha, c, c0 + j, false);
                store(a1, alpha, c, c0 + ldc + j, false);
                store(a2, alpha, c, c0 + 2 * ldc + j, false);
                store(a3, alpha, c, c0 + 3 * ldc + j, false);
                store(b0, alpha, c, c0 + j + L, false);
                store(b1, alpha, c, c0 + ldc + j + L, false);
                store(b2, alpha, c, c0 + 2 * ldc + j + L, false);
                store(b3, alpha, c, c0 + 3 * ldc + j + L, false);
            }
            for (; j < n; j += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int p = 0; p < k; p++) {
                    FloatVector y0 = FloatVector.fromArray(S, yt, p * ldy + j);
                    a0 = y0.fma(FloatVector.broadcast(S, x[x0 + p]), a0);
                    a1 = y0.fma(FloatVector.broadcast(S, x[x1 + p]), a1);
                    a2 = y0.fma(FloatVector.broadcast(S, x[x2 + p]), a2);
                    a3 = y0.fma(FloatVector.broadcast(S, x[x3 + p]), a3);
                }
                store(a0, alpha, c, c0 + j, false);
                store(a1, alpha, c, c0 + ldc + j, false);
                store(a2, alpha, c, c0 + 2 * ldc + j, false);
                store(a3, alpha, c, c0 + 3 * ldc + j, false);
            }
        }
        for (; i < m; i++) {
            int x0 = xo + i * ldx;
            for (int j = 0; j < n; j += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int p = 0; p < k; p++)
                    a0 = FloatVector.fromArray(S, yt, p * ldy + j).fma(FloatVector.broadcast(S, x[x0 + p]), a0);
                store(a0, alpha, c, i * ldc + j, false);
            }
        }
    }

    /**
     * C[co + i*ldc + col] (+)= alpha * sum_j P[po + i*ldp + j] * V[vo + j*ldv + col] for i < m, col < n (a
     * multiple of the vector length), j < k; added to C's contents if {@code accumulate}.
     */
    static void ab(float[] pm, int po, int ldp, float[] v, int vo, int ldv, float[] c, int co, int ldc,
                   int m, int n, int k, float alpha, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int p0 = po + i * ldp, p1 = p0 + ldp, p2 = p1 + ldp, p3 = p2 + ldp;
            int c0 = co + i * ldc;
            int col = 0;
            for (; col + 2 * L <= n; col += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int j = 0; j < k; j++) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vo + j * ldv + col);
                    FloatVector v1 = FloatVector.fromArray(S, v, vo + j * ldv + col + L);
                    FloatVector q0 = FloatVector.broadcast(S, pm[p0 + j]), q1 = FloatVector.broadcast(S, pm[p1 + j]);
                    FloatVector q2 = FloatVector.broadcast(S, pm[p2 + j]), q3 = FloatVector.broadcast(S, pm[p3 + j]);
                    a0 = v0.fma(q0, a0);
                    a1 = v0.fma(q1, a1);
                    a2 = v0.fma(q2, a2);
                    a3 = v0.fma(q3, a3);
                    b0 = v1.fma(q0, b0);
                    b1 = v1.fma(q1, b1);
                    b2 = v1.fma(q2, b2);
                    b3 = v1.fma(q3, b3);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c0 + ldc + col, accumulate);
                store(a2, alpha, c, c0 + 2 * ldc + col, accumulate);
                store(a3, alpha, c, c0 + 3 * ldc + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(b1, alpha, c, c0 + ldc + col + L, accumulate);
                store(b2, alpha, c, c0 + 2 * ldc + col + L, accumulate);
                store(b3, alpha, c, c0 + 3 * ldc + col + L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0; j < k; j++) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vo + j * ldv + col);
                    a0 = v0.fma(FloatVector.broadcast(S, pm[p0 + j]), a0);
                    a1 = v0.fma(FloatVector.broadcast(S, pm[p1 + j]), a1);
                    a2 = v0.fma(FloatVector.broadcast(S, pm[p2 + j]), a2);
                    a3 = v0.fma(FloatVector.broadcast(S, pm[p3 + j]), a3);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c0 + ldc + col, accumulate);
                store(a2, alpha, c, c0 + 2 * ldc + col, accumulate);
                store(a3, alpha, c, c0 + 3 * ldc + col, accumulate);
            }
        }
        for (; i < m; i++) {
            int p0 = po + i * ldp;
            for (int col = 0; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int j = 0; j < k; j++)
                    a0 = FloatVector.fromArray(S, v, vo + j * ldv + col).fma(FloatVector.broadcast(S, pm[p0 + j]), a0);
                store(a0, alpha, c, co + i * ldc + col, accumulate);
            }
        }
    }

    /**
     * C[co + i*ldc + col] (+)= alpha * sum_j P[po + j*ldp + i] * V[vo + j*ldv + col] for i < m, col < n (a
     * multiple of the vector length), j < k: {@link #ab} with P read transposed, four of its columns (C's rows)
     * at a time from one row of P, so the backward pass needs no transposed [T, T] copy. Every element is the
     * same chain of fused multiply-adds in j order as {@code ab} on a transposed copy, so the same bits.
     */
    static void atb(float[] pm, int po, int ldp, float[] v, int vo, int ldv, float[] c, int co, int ldc,
                    int m, int n, int k, float alpha, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int c0 = co + i * ldc;
            int col = 0;
            for (; col + 2 * L <= n; col += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int j = 0, pj = po + i; j < k; j++, pj += ldp) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vo + j * ldv + col);
                    FloatVector v1 = FloatVector.fromArray(S, v, vo + j * ldv + col + L);
                    FloatVector q0 = FloatVector.broadcast(S, pm[pj]), q1 = FloatVector.broadcast(S, pm[pj + 1]);
                    FloatVector q2 = FloatVector.broadcast(S, pm[pj + 2]), q3 = FloatVector.broadcast(S, pm[pj + 3]);
                    a0 = v0.fma(q0, a0);
                    a1 = v0.fma(q1, a1);
                    a2 = v0.fma(q2, a2);
                    a3 = v0.fma(q3, a3);
                    b0 = v1.fma(q0, b0);
                    b1 = v1.fma(q1, b1);
                    b2 = v1.fma(q2, b2);
                    b3 = v1.fma(q3, b3);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c0 + ldc + col, accumulate);
                store(a2, alpha, c, c0 + 2 * ldc + col, accumulate);
                store(a3, alpha, c, c0 + 3 * ldc + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(b1, alpha, c, c0 + ldc + col + L, accumulate);
                store(b2, alpha, c, c0 + 2 * ldc + col + L, accumulate);
                store(b3, alpha, c, c0 + 3 * ldc + col + L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0, pj = po + i; j < k; j++, pj += ldp) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vo + j * ldv + col);
                    a0 = v0.fma(FloatVector.broadcast(S, pm[pj]), a0);
                    a1 = v0.fma(FloatVector.broadcast(S, pm[pj + 1]), a1);
                    a2 = v0.fma(FloatVector.broadcast(S, pm[pj + 2]), a2);
                    a3 = v0.fma(FloatVector.broadcast(S, pm[pj + 3]), a3);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c0 + ldc + col, accumulate);
                store(a2, alpha, c, c0 + 2 * ldc + col, accumulate);
                store(a3, alpha, c, c0 + 3 * ldc + col, accumulate);
            }
        }
        for (; i < m; i++) {
            for (int col = 0; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int j = 0, pj = po + i; j < k; j++, pj += ldp)
                    a0 = FloatVector.fromArray(S, v, vo + j * ldv + col).fma(FloatVector.broadcast(S, pm[pj]), a0);
                store(a0, alpha, c, co + i * ldc + col, accumulate);
            }
        }
    }

    private static void store(FloatVector acc, float alpha, float[] c, int off, boolean accumulate) {
        FloatVector r = acc.mul(alpha);
        if (accumulate) r = r.add(FloatVector.fromArray(S, c, off));
        r.intoArray(c, off);
    }
}
