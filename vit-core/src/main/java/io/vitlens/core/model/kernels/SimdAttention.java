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
    /**
     * 8-lane vectors (AVX2): the products run as {@link #abt8}, {@link #ab8} and {@link #atb8}, blocked for 16
     * vector registers, instead of the loops tuned on AVX-512 (16 lanes, 32 registers).
     */
    static final boolean EIGHT = L == 8;

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
        final double[] lanes; //           the softmax backward's lane sum

        public Scratch(int tokens, int headDim) {
            this.tokens = tokens;
            this.headDim = headDim;
            this.tp = padded(tokens);
            yt = new float[headDim * tp];
            s = new float[tokens * tp];
            rowMax = new float[tokens];
            lanes = new double[SimdRows.doubleLanes()];
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
            if (EIGHT) abt8(qk, qCol + h * d, ld, w.yt, tp, w.s, tp, t, tp, d, scale);
            else abt(qk, qCol + h * d, ld, w.yt, tp, w.s, tp, t, tp, d, scale);      // scores [T, Tp]
            int a0 = h * t * t;
            SimdRows.softmaxRows(w.s, 0, tp, t, t, w.rowMax);                          // A_h, in place
            for (int i = 0; i < t; i++) System.arraycopy(w.s, i * tp, attn, a0 + i * t, t);
            if (EIGHT) ab8(w.s, 0, tp, v, vCol + h * d, ldv, out, h * d, width, t, d, t, 1f, false);
            else ab(w.s, 0, tp, v, vCol + h * d, ldv, out, h * d, width, t, d, t, 1f, false);   // O_h = A_h V_h
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
            if (EIGHT) atb8(attn, a0, t, dOut, h * d, width, dv, dvCol + h * d, lddv, t, d, t, 1f, false);
            else atb(attn, a0, t, dOut, h * d, width, dv, dvCol + h * d, lddv, t, d, t, 1f, false);
            // dA = dO_h V_h^T, then dS = A * (dA - rowsum(dA * A)) in place
            transpose(v, vCol + h * d, ldv, t, d, w.yt, tp);
            if (EIGHT) abt8(dOut, h * d, width, w.yt, tp, w.s, tp, t, tp, d, 1f);
            else abt(dOut, h * d, width, w.yt, tp, w.s, tp, t, tp, d, 1f);
            for (int i = 0; i < t; i++) SimdRows.softmaxBackward(attn, a0 + i * t, w.s, i * tp, t, w.lanes);
            // dQ_h = scale * dS K_h; dK_h = scale * dS^T Q_h (added onto dQ_h when K is Q)
            if (EIGHT) {
                ab8(w.s, 0, tp, qk, kCol + h * d, ld, dqk, qCol + h * d, ld, t, d, t, scale, false);
                atb8(w.s, 0, tp, qk, qCol + h * d, ld, dqk, kCol + h * d, ld, t, d, t, scale, tied);
            } else {
                ab(w.s, 0, tp, qk, kCol + h * d, ld, dqk, qCol + h * d, ld, t, d, t, scale, false);
                atb(w.s, 0, tp, qk, qCol + h * d, ld, dqk, kCol + h * d, ld, t, d, t, scale, tied);
            }
        }
    }

    /** dst[c * ldd + r] = src[off + r * lds + c] for r < rows, c < cols; dst columns rows.. are zeroed. */
    static void transpose(float[] src, int off, int lds, int rows, int cols, float[] dst, int ldd) {
        // by source rows: one contiguous read per row, the writes land in the small dst (the column-by-column
        // loop, reading with a stride of lds, took ~13 us per 4-head image against ~9, 8-lane Zen 3)
        for (int r = 0; r < rows; r++) {
            int s = off + r * lds;
            for (int c = 0, o = r; c < cols; c++, o += ldd) dst[o] = src[s + c];
        }
        for (int c = 0; c < cols; c++) {
            int o = c * ldd;
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

    // ---- 8 lanes (AVX2, 16 vector registers) ----
    // With 8-lane vectors a score row of 65 tokens is 9 vectors (Tp = 72) and a head of 32 columns 4. C2 keeps
    // at most ~13 vectors in the 16 registers without spilling: abt8 blocks 3 rows x 3 vectors (9
    // accumulators, no column remainder at Tp = 72), ab8 / atb8 5 rows x 2 vectors (10 accumulators; 65 rows
    // are 13 blocks). Blocks of 12 accumulators (4 x 3, 3 x 4) measured 10-40% slower than the 16-lane loops
    // (spills). Each element is still the one chain of fused multiply-adds in k order from zero, times alpha
    // (plus C if accumulating): the same bits as abt, ab and atb (SimdAttention8Test).

    /** {@link #abt} blocked 3 rows x 3 vectors. */
    static void abt8(float[] x, int xo, int ldx, float[] yt, int ldy, float[] c, int ldc, int m, int n, int k,
                     float alpha) {
        int i = 0;
        for (; i + 3 <= m; i += 3) {
            int x0 = xo + i * ldx, x1 = x0 + ldx, x2 = x1 + ldx;
            int c0 = i * ldc, c1 = c0 + ldc, c2 = c1 + ldc;
            int j = 0;
            for (; j + 3 * L <= n; j += 3 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0, e0 = a0, e1 = a0, e2 = a0;
                for (int p = 0, yp = j; p < k; p++, yp += ldy) {
                    FloatVector y0 = FloatVector.fromArray(S, yt, yp);
                    FloatVector y1 = FloatVector.fromArray(S, yt, yp + L);
                    FloatVector y2 = FloatVector.fromArray(S, yt, yp + 2 * L);
                    FloatVector q = FloatVector.broadcast(S, x[x0 + p]);
                    a0 = y0.fma(q, a0);
                    b0 = y1.fma(q, b0);
                    e0 = y2.fma(q, e0);
                    q = FloatVector.broadcast(S, x[x1 + p]);
                    a1 = y0.fma(q, a1);
                    b1 = y1.fma(q, b1);
                    e1 = y2.fma(q, e1);
                    q = FloatVector.broadcast(S, x[x2 + p]);
                    a2 = y0.fma(q, a2);
                    b2 = y1.fma(q, b2);
                    e2 = y2.fma(q, e2);
                }
                store(a0, alpha, c, c0 + j, false);
                store(b0, alpha, c, c0 + j + L, false);
                store(e0, alpha, c, c0 + j + 2 * L, false);
                store(a1, alpha, c, c1 + j, false);
                store(b1, alpha, c, c1 + j + L, false);
                store(e1, alpha, c, c1 + j + 2 * L, false);
                store(a2, alpha, c, c2 + j, false);
                store(b2, alpha, c, c2 + j + L, false);
                store(e2, alpha, c, c2 + j + 2 * L, false);
            }
            for (; j < n; j += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0;
                for (int p = 0, yp = j; p < k; p++, yp += ldy) {
                    FloatVector y0 = FloatVector.fromArray(S, yt, yp);
                    a0 = y0.fma(FloatVector.broadcast(S, x[x0 + p]), a0);
                    a1 = y0.fma(FloatVector.broadcast(S, x[x1 + p]), a1);
                    a2 = y0.fma(FloatVector.broadcast(S, x[x2 + p]), a2);
                }
                store(a0, alpha, c, c0 + j, false);
                store(a1, alpha, c, c1 + j, false);
                store(a2, alpha, c, c2 + j, false);
            }
        }
        for (; i < m; i++) {   // the last rows: three vectors at a time, three chains in flight
            int x0 = xo + i * ldx, c0 = i * ldc;
            int j = 0;
            for (; j + 3 * L <= n; j += 3 * L) {
                FloatVector a0 = FloatVector.zero(S), b0 = a0, e0 = a0;
                for (int p = 0, yp = j; p < k; p++, yp += ldy) {
                    FloatVector q = FloatVector.broadcast(S, x[x0 + p]);
                    a0 = FloatVector.fromArray(S, yt, yp).fma(q, a0);
                    b0 = FloatVector.fromArray(S, yt, yp + L).fma(q, b0);
                    e0 = FloatVector.fromArray(S, yt, yp + 2 * L).fma(q, e0);
                }
                store(a0, alpha, c, c0 + j, false);
                store(b0, alpha, c, c0 + j + L, false);
                store(e0, alpha, c, c0 + j + 2 * L, false);
            }
            for (; j < n; j += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int p = 0, yp = j; p < k; p++, yp += ldy)
                    a0 = FloatVector.fromArray(S, yt, yp).fma(FloatVector.broadcast(S, x[x0 + p]), a0);
                store(a0, alpha, c, c0 + j, false);
            }
        }
    }

    /** {@link #ab} blocked 5 rows x 2 vectors. */
    static void ab8(float[] pm, int po, int ldp, float[] v, int vo, int ldv, float[] c, int co, int ldc,
                    int m, int n, int k, float alpha, boolean accumulate) {
        int i = 0;
        for (; i + 5 <= m; i += 5) {
            int p0 = po + i * ldp, p1 = p0 + ldp, p2 = p1 + ldp, p3 = p2 + ldp, p4 = p3 + ldp;
            int c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
            int col = 0;
            for (; col + 2 * L <= n; col += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
                        b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
                for (int j = 0, vj = vo + col; j < k; j++, vj += ldv) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vj);
                    FloatVector v1 = FloatVector.fromArray(S, v, vj + L);
                    FloatVector q = FloatVector.broadcast(S, pm[p0 + j]);
                    a0 = v0.fma(q, a0);
                    b0 = v1.fma(q, b0);
                    q = FloatVector.broadcast(S, pm[p1 + j]);
                    a1 = v0.fma(q, a1);
                    b1 = v1.fma(q, b1);
                    q = FloatVector.broadcast(S, pm[p2 + j]);
                    a2 = v0.fma(q, a2);
                    b2 = v1.fma(q, b2);
                    q = FloatVector.broadcast(S, pm[p3 + j]);
                    a3 = v0.fma(q, a3);
                    b3 = v1.fma(q, b3);
                    q = FloatVector.broadcast(S, pm[p4 + j]);
                    a4 = v0.fma(q, a4);
                    b4 = v1.fma(q, b4);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(a1, alpha, c, c1 + col, accumulate);
                store(b1, alpha, c, c1 + col + L, accumulate);
                store(a2, alpha, c, c2 + col, accumulate);
                store(b2, alpha, c, c2 + col + L, accumulate);
                store(a3, alpha, c, c3 + col, accumulate);
                store(b3, alpha, c, c3 + col + L, accumulate);
                store(a4, alpha, c, c4 + col, accumulate);
                store(b4, alpha, c, c4 + col + L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
                for (int j = 0, vj = vo + col; j < k; j++, vj += ldv) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vj);
                    a0 = v0.fma(FloatVector.broadcast(S, pm[p0 + j]), a0);
                    a1 = v0.fma(FloatVector.broadcast(S, pm[p1 + j]), a1);
                    a2 = v0.fma(FloatVector.broadcast(S, pm[p2 + j]), a2);
                    a3 = v0.fma(FloatVector.broadcast(S, pm[p3 + j]), a3);
                    a4 = v0.fma(FloatVector.broadcast(S, pm[p4 + j]), a4);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c1 + col, accumulate);
                store(a2, alpha, c, c2 + col, accumulate);
                store(a3, alpha, c, c3 + col, accumulate);
                store(a4, alpha, c, c4 + col, accumulate);
            }
        }
        for (; i < m; i++) {   // the last rows: four vectors at a time, four chains in flight
            int p0 = po + i * ldp, c0 = co + i * ldc;
            int col = 0;
            for (; col + 4 * L <= n; col += 4 * L) {
                FloatVector a0 = FloatVector.zero(S), b0 = a0, e0 = a0, f0 = a0;
                for (int j = 0, vj = vo + col; j < k; j++, vj += ldv) {
                    FloatVector q = FloatVector.broadcast(S, pm[p0 + j]);
                    a0 = FloatVector.fromArray(S, v, vj).fma(q, a0);
                    b0 = FloatVector.fromArray(S, v, vj + L).fma(q, b0);
                    e0 = FloatVector.fromArray(S, v, vj + 2 * L).fma(q, e0);
                    f0 = FloatVector.fromArray(S, v, vj + 3 * L).fma(q, f0);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(e0, alpha, c, c0 + col + 2 * L, accumulate);
                store(f0, alpha, c, c0 + col + 3 * L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int j = 0, vj = vo + col; j < k; j++, vj += ldv)
                    a0 = FloatVector.fromArray(S, v, vj).fma(FloatVector.broadcast(S, pm[p0 + j]), a0);
                store(a0, alpha, c, c0 + col, accumulate);
            }
        }
    }

    /** {@link #atb} blocked 5 rows x 2 vectors (five columns of P from one of its rows). */
    static void atb8(float[] pm, int po, int ldp, float[] v, int vo, int ldv, float[] c, int co, int ldc,
                    int m, int n, int k, float alpha, boolean accumulate) {
        int i = 0;
        for (; i + 5 <= m; i += 5) {
            int c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
            int col = 0;
            for (; col + 2 * L <= n; col += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
                        b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
                for (int j = 0, pj = po + i, vj = vo + col; j < k; j++, pj += ldp, vj += ldv) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vj);
                    FloatVector v1 = FloatVector.fromArray(S, v, vj + L);
                    FloatVector q = FloatVector.broadcast(S, pm[pj]);
                    a0 = v0.fma(q, a0);
                    b0 = v1.fma(q, b0);
                    q = FloatVector.broadcast(S, pm[pj + 1]);
                    a1 = v0.fma(q, a1);
                    b1 = v1.fma(q, b1);
                    q = FloatVector.broadcast(S, pm[pj + 2]);
                    a2 = v0.fma(q, a2);
                    b2 = v1.fma(q, b2);
                    q = FloatVector.broadcast(S, pm[pj + 3]);
                    a3 = v0.fma(q, a3);
                    b3 = v1.fma(q, b3);
                    q = FloatVector.broadcast(S, pm[pj + 4]);
                    a4 = v0.fma(q, a4);
                    b4 = v1.fma(q, b4);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(a1, alpha, c, c1 + col, accumulate);
                store(b1, alpha, c, c1 + col + L, accumulate);
                store(a2, alpha, c, c2 + col, accumulate);
                store(b2, alpha, c, c2 + col + L, accumulate);
                store(a3, alpha, c, c3 + col, accumulate);
                store(b3, alpha, c, c3 + col + L, accumulate);
                store(a4, alpha, c, c4 + col, accumulate);
                store(b4, alpha, c, c4 + col + L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
                for (int j = 0, pj = po + i, vj = vo + col; j < k; j++, pj += ldp, vj += ldv) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vj);
                    a0 = v0.fma(FloatVector.broadcast(S, pm[pj]), a0);
                    a1 = v0.fma(FloatVector.broadcast(S, pm[pj + 1]), a1);
                    a2 = v0.fma(FloatVector.broadcast(S, pm[pj + 2]), a2);
                    a3 = v0.fma(FloatVector.broadcast(S, pm[pj + 3]), a3);
                    a4 = v0.fma(FloatVector.broadcast(S, pm[pj + 4]), a4);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(a1, alpha, c, c1 + col, accumulate);
                store(a2, alpha, c, c2 + col, accumulate);
                store(a3, alpha, c, c3 + col, accumulate);
                store(a4, alpha, c, c4 + col, accumulate);
            }
        }
        for (; i < m; i++) {   // the last rows: four vectors at a time, four chains in flight
            int c0 = co + i * ldc;
            int col = 0;
            for (; col + 4 * L <= n; col += 4 * L) {
                FloatVector a0 = FloatVector.zero(S), b0 = a0, e0 = a0, f0 = a0;
                for (int j = 0, pj = po + i, vj = vo + col; j < k; j++, pj += ldp, vj += ldv) {
                    FloatVector q = FloatVector.broadcast(S, pm[pj]);
                    a0 = FloatVector.fromArray(S, v, vj).fma(q, a0);
                    b0 = FloatVector.fromArray(S, v, vj + L).fma(q, b0);
                    e0 = FloatVector.fromArray(S, v, vj + 2 * L).fma(q, e0);
                    f0 = FloatVector.fromArray(S, v, vj + 3 * L).fma(q, f0);
                }
                store(a0, alpha, c, c0 + col, accumulate);
                store(b0, alpha, c, c0 + col + L, accumulate);
                store(e0, alpha, c, c0 + col + 2 * L, accumulate);
                store(f0, alpha, c, c0 + col + 3 * L, accumulate);
            }
            for (; col < n; col += L) {
                FloatVector a0 = FloatVector.zero(S);
                for (int j = 0, pj = po + i, vj = vo + col; j < k; j++, pj += ldp, vj += ldv)
                    a0 = FloatVector.fromArray(S, v, vj).fma(FloatVector.broadcast(S, pm[pj]), a0);
                store(a0, alpha, c, c0 + col, accumulate);
            }
        }
    }

    private static void store(FloatVector acc, float alpha, float[] c, int off, boolean accumulate) {
        FloatVector r = acc.mul(alpha);
        if (accumulate) r = r.add(FloatVector.fromArray(S, c, off));
        r.intoArray(c, off);
    }
}
