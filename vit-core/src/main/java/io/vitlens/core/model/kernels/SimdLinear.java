package io.vitlens.core.model.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * {@link LinearOps} as Vector API loops over blocks of token rows copied to the heap, the bias and residual
 * added, and the bias gradient summed, in the same pass as the product. Only loaded when {@link Simd#AVAILABLE}.
 *
 * <p>Why: with OpenBLAS held to its AVX2 kernels on an AVX-512 machine, these loops ran the transformer's
 * [8320, 128] x [128, 384]-like products faster (docs/performance.md). Blocks have a fixed size and the
 * weight gradient's per-block partial sums are added in block order, so results do not depend on the
 * thread count or schedule.
 */
public final class SimdLinear implements LinearOps {

    static final SimdLinear INSTANCE = new SimdLinear();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per block of the forward and input-gradient products. */
    static final int ROWS = 32;
    /**
     * Inner-dimension chunk of the forward and input-gradient products: a [96, 4 vectors] strip of B is 24 KiB
     * with 512-bit vectors, half the L1 data cache of the machine it was tuned on (docs/performance.md: 96 and
     * 128 against 64 and unchunked; k 192 and 384 of the small model gained most).
     */
    static final int KB = 96;
    /** Rows per partial sum of the weight gradient. */
    static final int GRAD_ROWS = 512;
    /**
     * Rows of a weight-gradient block on the heap at once: [128, N] of G and [128, K] of X stay in L2 (and a
     * two-vector strip of X in L1) while every tile of the partial sum passes over them.
     */
    static final int GRAD_SUB_ROWS = 128;

    private SimdLinear() {
    }

    @Override
    public void forward(INDArray in, INDArray w, INDArray bias, INDArray residual, INDArray out, Kernels kernels) {
        forward(in, w, bias, residual, out, null, false);
    }

    /** The product with the GELU (and its derivative) applied to each block while it is still in cache. */
    @Override
    public void forwardGelu(INDArray in, INDArray w, INDArray bias, INDArray act, INDArray derivative,
                            Kernels kernels) {
        forward(in, w, bias, null, act, derivative, true);
    }

    private void forward(INDArray in, INDArray w, INDArray bias, INDArray residual, INDArray out,
                         INDArray derivative, boolean gelu) {
        int n = (int) w.size(0), k = (int) w.size(1);
        int rows = rows(in, k, out, n);
        if (derivative != null) rows(in, k, derivative, n);
        float[] wt = transposed(w, n, k);                     // W^T [K, N]
        float[] b = heap(bias, n);
        FloatBuffer ib = Buffers.floats(in), ob = Buffers.floats(out);
        FloatBuffer rb = residual == null ? null : Buffers.floats(residual);
        FloatBuffer db = derivative == null ? null : Buffers.floats(derivative);
        IntStream.range(0, blocks(rows, ROWS)).parallel().forEach(blk -> {
            int r0 = blk * ROWS, m = Math.min(ROWS, rows - r0);
            float[][] s = scratch(ROWS * k, ROWS * n);
            float[] x = s[0], c = s[1];
            ib.get(r0 * k, x, 0, m * k);
            if (rb == null) {
                rowsTimes(x, wt, b, c, m, n, k, false);
            } else {   // the residual rows first, the bias onto them, then the product onto both
                rb.get(r0 * n, c, 0, m * n);
                for (int i = 0; i < m; i++)
                    for (int j = 0, o = i * n; j < n; j++) c[o + j] += b[j];
                rowsTimes(x, wt, null, c, m, n, k, true);
            }
            if (gelu) {
                float[] der = db == null ? null : derivativeScratch(ROWS * n);
                SimdRows.gelu(c, c, der, m * n);
                if (der != null) db.put(r0 * n, der, 0, m * n);
            }
            ob.put(r0 * n, c, 0, m * n);
        });
    }

    @Override
    public void inputGrad(INDArray dy, INDArray w, INDArray dx, boolean accumulate) {
        int n = (int) w.size(0), k = (int) w.size(1);
        int rows = rows(dx, k, dy, n);
        float[] wh = heap(w, n * k);                          // W [N, K]
        FloatBuffer gb = Buffers.floats(dy), xb = Buffers.floats(dx);
        IntStream.range(0, blocks(rows, ROWS)).parallel().forEach(blk -> {
            int r0 = blk * ROWS, m = Math.min(ROWS, rows - r0);
            float[][] s = scratch(ROWS * n, ROWS * k);
            float[] g = s[0], c = s[1];
            gb.get(r0 * n, g, 0, m * n);
            if (accumulate) xb.get(r0 * k, c, 0, m * k);
            rowsTimes(g, wh, null, c, m, k, n, accumulate);
            xb.put(r0 * k, c, 0, m * k);
        });
    }

    @Override
    public void weightGrad(INDArray dy, INDArray x, INDArray dw, INDArray dBias, Kernels kernels) {
        int n = (int) dw.size(0), k = (int) dw.size(1);
        int rows = rows(x, k, dy, n);
        int blocks = blocks(rows, GRAD_ROWS);
        float[][] partW = partials(blocks, n * k);   // reused: every element is overwritten below
        float[][] partB = new float[blocks][];
        FloatBuffer gb = Buffers.floats(dy), xb = Buffers.floats(x);
        IntStream.range(0, blocks).parallel().forEach(blk -> {
            int r0 = blk * GRAD_ROWS, m = Math.min(GRAD_ROWS, rows - r0);
            float[][] s = scratch(GRAD_SUB_ROWS * n, GRAD_SUB_ROWS * k);
            float[] g = s[0], xs = s[1], pb = new float[n];
            for (int s0 = 0; s0 < m; s0 += GRAD_SUB_ROWS) {   // sub-blocks added onto the block's sum in order
                int ms = Math.min(GRAD_SUB_ROWS, m - s0);
                gb.get((r0 + s0) * n, g, 0, ms * n);
                xb.get((r0 + s0) * k, xs, 0, ms * k);
                atb(g, n, xs, k, partW[blk], ms, n, k, s0 > 0);
                for (int r = 0; r < ms; r++)
                    for (int j = 0; j < n; j++) pb[j] += g[r * n + j];
            }
            partB[blk] = pb;
        });
        float[] w = partW[0], b = partB[0];
        int len = n * k;
        for (int blk = 1; blk < blocks; blk++) {    // block order: independent of the schedule
            float[] pw = partW[blk], pb = partB[blk];
            int i = 0;
            for (int up = S.loopBound(len); i < up; i += L)
                FloatVector.fromArray(S, w, i).add(FloatVector.fromArray(S, pw, i)).intoArray(w, i);
            for (; i < len; i++) w[i] += pw[i];
            for (int j = 0; j < n; j++) b[j] += pb[j];
        }
        Buffers.floats(dw).put(0, w, 0, len);
        Buffers.floats(dBias).put(0, b);
    }

    /**
     * C[i, :] = init_i + X[i, :] B for i < m: X is [m, k] (row stride k), B is [k, n] and C [m, n], both row
     * stride n, n a multiple of the vector length. init_i is C's own row when {@code accumulate}, else the
     * bias row, else zero. The inner dimension runs in chunks of {@link #KB}; within a chunk, strips of B's
     * columns are the outer loop, so one strip ([KB, 4 vectors]) stays in L1 while every row group of the block
     * runs over it, four rows by four vectors at a time (16 accumulators). Each element is still summed in p
     * order: the chunks only store and reload it.
     */
    static void rowsTimes(float[] x, float[] b, float[] bias, float[] c, int m, int n, int k, boolean accumulate) {
        for (int p0 = 0; p0 < k; p0 += KB) {
            int p1 = Math.min(k, p0 + KB);
            boolean acc = accumulate || p0 > 0;
            float[] bs = p0 > 0 ? null : bias;
            int col = 0;
            for (; col + 4 * L <= n; col += 4 * L) strip4(x, b, bs, c, m, n, k, acc, col, p0, p1);
            for (; col + 2 * L <= n; col += 2 * L) strip2(x, b, bs, c, m, n, k, acc, col, p0, p1);
            for (; col < n; col += L) strip1(x, b, bs, c, m, n, k, acc, col, p0, p1);
        }
    }

    private static FloatVector init(float[] bias, float[] c, int off, int col, boolean accumulate) {
        if (accumulate) return FloatVector.fromArray(S, c, off);
        return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, col);
    }

    /** Columns [col, col + 4L) of every row: four rows at a time (16 accumulators), then single rows. */
    private static void strip4(float[] x, float[] b, float[] bias, float[] c, int m, int n, int k,
                               boolean accumulate, int col, int p0, int p1) {
        int c1 = col + L, c2 = col + 2 * L, c3 = col + 3 * L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int x0 = i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
            int o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
            FloatVector a0 = init(bias, c, o0 + col, col, accumulate), a1 = init(bias, c, o0 + c1, c1, accumulate);
            FloatVector a2 = init(bias, c, o0 + c2, c2, accumulate), a3 = init(bias, c, o0 + c3, c3, accumulate);
            FloatVector b0 = init(bias, c, o1 + col, col, accumulate), b1 = init(bias, c, o1 + c1, c1, accumulate);
            FloatVector b2 = init(bias, c, o1 + c2, c2, accumulate), b3 = init(bias, c, o1 + c3, c3, accumulate);
            FloatVector d0 = init(bias, c, o2 + col, col, accumulate), d1 = init(bias, c, o2 + c1, c1, accumulate);
            FloatVector d2 = init(bias, c, o2 + c2, c2, accumulate), d3 = init(bias, c, o2 + c3, c3, accumulate);
            FloatVector e0 = init(bias, c, o3 + col, col, accumulate), e1 = init(bias, c, o3 + c1, c1, accumulate);
            FloatVector e2 = init(bias, c, o3 + c2, c2, accumulate), e3 = init(bias, c, o3 + c3, c3, accumulate);
            for (int p = p0, bo = p0 * n + col; p < p1; p++, bo += n) {
                FloatVector w0 = FloatVector.fromArray(S, b, bo), w1 = FloatVector.fromArray(S, b, bo + L);
                FloatVector w2 = FloatVector.fromArray(S, b, bo + 2 * L), w3 = FloatVector.fromArray(S, b, bo + 3 * L);
                FloatVector q = FloatVector.broadcast(S, x[x0 + p]);
                a0 = w0.fma(q, a0);
                a1 = w1.fma(q, a1);
                a2 = w2.fma(q, a2);
                a3 = w3.fma(q, a3);
                q = FloatVector.broadcast(S, x[x1 + p]);
                b0 = w0.fma(q, b0);
                b1 = w1.fma(q, b1);
                b2 = w2.fma(q, b2);
                b3 = w3.fma(q, b3);
                q = FloatVector.broadcast(S, x[x2 + p]);
                d0 = w0.fma(q, d0);
                d1 = w1.fma(q, d1);
                d2 = w2.fma(q, d2);
                d3 = w3.fma(q, d3);
                q = FloatVector.broadcast(S, x[x3 + p]);
                e0 = w0.fma(q, e0);
                e1 = w1.fma(q, e1);
                e2 = w2.fma(q, e2);
                e3 = w3.fma(q, e3);
            }
            a0.intoArray(c, o0 + col);
            a1.intoArray(c, o0 + c1);
            a2.intoArray(c, o0 + c2);
            a3.intoArray(c, o0 + c3);
            b0.intoArray(c, o1 + col);
            b1.intoArray(c, o1 + c1);
            b2.intoArray(c, o1 + c2);
            b3.intoArray(c, o1 + c3);
            d0.intoArray(c, o2 + col);
            d1.intoArray(c, o2 + c1);
            d2.intoArray(c, o2 + c2);
            d3.intoArray(c, o2 + c3);
            e0.intoArray(c, o3 + col);
            e1.intoArray(c, o3 + c1);
            e2.intoArray(c, o3 + c2);
            e3.intoArray(c, o3 + c3);
        }
        for (; i < m; i++)
            for (int v = 0; v < 4; v++) row1(x, b, bias, c, i, n, k, accumulate, col + v * L, p0, p1);
    }

    /** Columns [col, col + 2L): four rows by two vectors (8 accumulators), then single rows. */
    private static void strip2(float[] x, float[] b, float[] bias, float[] c, int m, int n, int k,
                               boolean accumulate, int col, int p0, int p1) {
        int c1 = col + L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int x0 = i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
            int o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
            FloatVector a0 = init(bias, c, o0 + col, col, accumulate), a1 = init(bias, c, o0 + c1, c1, accumulate);
            FloatVector b0 = init(bias, c, o1 + col, col, accumulate), b1 = init(bias, c, o1 + c1, c1, accumulate);
            FloatVector d0 = init(bias, c, o2 + col, col, accumulate), d1 = init(bias, c, o2 + c1, c1, accumulate);
            FloatVector e0 = init(bias, c, o3 + col, col, accumulate), e1 = init(bias, c, o3 + c1, c1, accumulate);
            for (int p = p0, bo = p0 * n + col; p < p1; p++, bo += n) {
                FloatVector w0 = FloatVector.fromArray(S, b, bo), w1 = FloatVector.fromArray(S, b, bo + L);
                FloatVector q0 = FloatVector.broadcast(S, x[x0 + p]), q1 = FloatVector.broadcast(S, x[x1 + p]);
                FloatVector q2 = FloatVector.broadcast(S, x[x2 + p]), q3 = FloatVector.broadcast(S, x[x3 + p]);
                a0 = w0.fma(q0, a0);
                a1 = w1.fma(q0, a1);
                b0 = w0.fma(q1, b0);
                b1 = w1.fma(q1, b1);
                d0 = w0.fma(q2, d0);
                d1 = w1.fma(q2, d1);
                e0 = w0.fma(q3, e0);
                e1 = w1.fma(q3, e1);
            }
            a0.intoArray(c, o0 + col);
            a1.intoArray(c, o0 + c1);
            b0.intoArray(c, o1 + col);
            b1.intoArray(c, o1 + c1);
            d0.intoArray(c, o2 + col);
            d1.intoArray(c, o2 + c1);
            e0.intoArray(c, o3 + col);
            e1.intoArray(c, o3 + c1);
        }
        for (; i < m; i++) {
            row1(x, b, bias, c, i, n, k, accumulate, col, p0, p1);
            row1(x, b, bias, c, i, n, k, accumulate, c1, p0, p1);
        }
    }

    /** Columns [col, col + L) of every row. */
    private static void strip1(float[] x, float[] b, float[] bias, float[] c, int m, int n, int k,
                               boolean accumulate, int col, int p0, int p1) {
        for (int i = 0; i < m; i++) row1(x, b, bias, c, i, n, k, accumulate, col, p0, p1);
    }

    private static void row1(float[] x, float[] b, float[] bias, float[] c, int i, int n, int k,
                             boolean accumulate, int col, int p0, int p1) {
        int x0 = i * k, o = i * n + col;
        FloatVector a = init(bias, c, o, col, accumulate);
        for (int p = p0, bo = p0 * n + col; p < p1; p++, bo += n)
            a = FloatVector.fromArray(S, b, bo).fma(FloatVector.broadcast(S, x[x0 + p]), a);
        a.intoArray(c, o);
    }

    /**
     * C[i, col] (+)= sum_r G[r, i] X[r, col] for i < n, col < k (a multiple of the vector length), r < m: the
     * transposed rows of G times X, added onto C when {@code accumulate}. Columns outermost: one strip of X
     * ([m, 2 vectors], 16 KiB for m = 128 with 512-bit vectors) stays in L1 while every row tile of C passes
     * over it. Tiles of six rows of C by two vectors (12 accumulators), then four, then one.
     */
    static void atb(float[] g, int ldg, float[] x, int ldx, float[] c, int m, int n, int k, boolean accumulate) {
        int col = 0;
        for (; col + 2 * L <= k; col += 2 * L) {
            int i = 0;
            for (; i + 6 <= n; i += 6) atb6x2(g, ldg, x, ldx, c, m, k, i, col, accumulate);
            for (; i + 4 <= n; i += 4) atb4x2(g, ldg, x, ldx, c, m, k, i, col, accumulate);
            for (; i < n; i++) {
                atb1(g, ldg, x, ldx, c, m, k, i, col, accumulate);
                atb1(g, ldg, x, ldx, c, m, k, i, col + L, accumulate);
            }
        }
        for (; col < k; col += L)
            for (int i = 0; i < n; i++) atb1(g, ldg, x, ldx, c, m, k, i, col, accumulate);
    }

    private static FloatVector start(float[] c, int off, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, c, off) : FloatVector.zero(S);
    }

    private static void atb6x2(float[] g, int ldg, float[] x, int ldx, float[] c, int m, int k, int i, int col,
                               boolean accumulate) {
        int c0 = i * k + col;
        FloatVector a0 = start(c, c0, accumulate), b0 = start(c, c0 + L, accumulate);
        FloatVector a1 = start(c, c0 + k, accumulate), b1 = start(c, c0 + k + L, accumulate);
        FloatVector a2 = start(c, c0 + 2 * k, accumulate), b2 = start(c, c0 + 2 * k + L, accumulate);
        FloatVector a3 = start(c, c0 + 3 * k, accumulate), b3 = start(c, c0 + 3 * k + L, accumulate);
        FloatVector a4 = start(c, c0 + 4 * k, accumulate), b4 = start(c, c0 + 4 * k + L, accumulate);
        FloatVector a5 = start(c, c0 + 5 * k, accumulate), b5 = start(c, c0 + 5 * k + L, accumulate);
        for (int r = 0; r < m; r++) {
            int go = r * ldg + i, xo = r * ldx + col;
            FloatVector x0 = FloatVector.fromArray(S, x, xo), x1 = FloatVector.fromArray(S, x, xo + L);
            FloatVector q = FloatVector.broadcast(S, g[go]);
            a0 = x0.fma(q, a0);
            b0 = x1.fma(q, b0);
            q = FloatVector.broadcast(S, g[go + 1]);
            a1 = x0.fma(q, a1);
            b1 = x1.fma(q, b1);
            q = FloatVector.broadcast(S, g[go + 2]);
            a2 = x0.fma(q, a2);
            b2 = x1.fma(q, b2);
            q = FloatVector.broadcast(S, g[go + 3]);
            a3 = x0.fma(q, a3);
            b3 = x1.fma(q, b3);
            q = FloatVector.broadcast(S, g[go + 4]);
            a4 = x0.fma(q, a4);
            b4 = x1.fma(q, b4);
            q = FloatVector.broadcast(S, g[go + 5]);
            a5 = x0.fma(q, a5);
            b5 = x1.fma(q, b5);
        }
        a0.intoArray(c, c0);
        b0.intoArray(c, c0 + L);
        a1.intoArray(c, c0 + k);
        b1.intoArray(c, c0 + k + L);
        a2.intoArray(c, c0 + 2 * k);
        b2.intoArray(c, c0 + 2 * k + L);
        a3.intoArray(c, c0 + 3 * k);
        b3.intoArray(c, c0 + 3 * k + L);
        a4.intoArray(c, c0 + 4 * k);
        b4.intoArray(c, c0 + 4 * k + L);
        a5.intoArray(c, c0 + 5 * k);
        b5.intoArray(c, c0 + 5 * k + L);
    }

    private static void atb4x2(float[] g, int ldg, float[] x, int ldx, float[] c, int m, int k, int i, int col,
                               boolean accumulate) {
        int c0 = i * k + col;
        FloatVector a0 = start(c, c0, accumulate), b0 = start(c, c0 + L, accumulate);
        FloatVector a1 = start(c, c0 + k, accumulate), b1 = start(c, c0 + k + L, accumulate);
        FloatVector a2 = start(c, c0 + 2 * k, accumulate), b2 = start(c, c0 + 2 * k + L, accumulate);
        FloatVector a3 = start(c, c0 + 3 * k, accumulate), b3 = start(c, c0 + 3 * k + L, accumulate);
        for (int r = 0; r < m; r++) {
            int go = r * ldg + i, xo = r * ldx + col;
            FloatVector x0 = FloatVector.fromArray(S, x, xo), x1 = FloatVector.fromArray(S, x, xo + L);
            FloatVector q0 = FloatVector.broadcast(S, g[go]), q1 = FloatVector.broadcast(S, g[go + 1]);
            FloatVector q2 = FloatVector.broadcast(S, g[go + 2]), q3 = FloatVector.broadcast(S, g[go + 3]);
            a0 = x0.fma(q0, a0);
            a1 = x0.fma(q1, a1);
            a2 = x0.fma(q2, a2);
            a3 = x0.fma(q3, a3);
            b0 = x1.fma(q0, b0);
            b1 = x1.fma(q1, b1);
            b2 = x1.fma(q2, b2);
            b3 = x1.fma(q3, b3);
        }
        a0.intoArray(c, c0);
        a1.intoArray(c, c0 + k);
        a2.intoArray(c, c0 + 2 * k);
        a3.intoArray(c, c0 + 3 * k);
        b0.intoArray(c, c0 + L);
        b1.intoArray(c, c0 + k + L);
        b2.intoArray(c, c0 + 2 * k + L);
        b3.intoArray(c, c0 + 3 * k + L);
    }

    private static void atb1(float[] g, int ldg, float[] x, int ldx, float[] c, int m, int k, int i, int col,
                             boolean accumulate) {
        int c0 = i * k + col;
        FloatVector a0 = start(c, c0, accumulate);
        for (int r = 0; r < m; r++)
            a0 = FloatVector.fromArray(S, x, r * ldx + col).fma(FloatVector.broadcast(S, g[r * ldg + i]), a0);
        a0.intoArray(c, c0);
    }

    private static int rows(INDArray a, int aCols, INDArray b, int bCols) {
        int rows = Math.toIntExact(a.length() / aCols);
        if ((long) rows * aCols != a.length() || (long) rows * bCols != b.length())
            throw new IllegalArgumentException("linear: " + a.length() + " and " + b.length()
                    + " elements are not the same rows of " + aCols + " and " + bCols);
        return rows;
    }

    private static int blocks(int rows, int per) {
        return (rows + per - 1) / per;
    }

    private static float[] heap(INDArray a, int n) {
        float[] h = new float[n];
        Buffers.floats(a).get(0, h);
        return h;
    }

    private static float[] transposed(INDArray w, int n, int k) {
        float[] wh = heap(w, n * k), t = new float[k * n];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) t[p * n + j] = wh[j * k + p];
        return t;
    }

    private static final ThreadLocal<float[][]> PARTIALS = new ThreadLocal<>();

    /** The calling thread's weight-gradient partial sums: at least {@code blocks} arrays of {@code len} floats. */
    private static float[][] partials(int blocks, int len) {
        float[][] p = PARTIALS.get();
        if (p == null || p.length < blocks || p[0].length < len) {
            p = new float[blocks][len];
            PARTIALS.set(p);
        }
        return p;
    }

    private static final ThreadLocal<float[]> DERIVATIVE = new ThreadLocal<>();

    /** The calling thread's heap array for a block's GELU derivative: at least n floats. */
    private static float[] derivativeScratch(int n) {
        float[] d = DERIVATIVE.get();
        if (d == null || d.length < n) {
            d = new float[n];
            DERIVATIVE.set(d);
        }
        return d;
    }

    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    /** Two per-thread heap arrays of at least a and b floats. */
    private static float[][] scratch(int a, int b) {
        float[][] s = SCRATCH.get();
        if (s == null || s[0].length < a || s[1].length < b) {
            s = new float[][]{new float[Math.max(a, s == null ? 0 : s[0].length)],
                    new float[Math.max(b, s == null ? 0 : s[1].length)]};
            SCRATCH.set(s);
        }
        return s;
    }
}
