package io.vitlens.core.model.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential-heavy row loops of {@link FastFloatKernels} on the Vector API: GELU (with its
 * derivative), softmax and the softmax backward dot product, 8 or 16 float lanes at a time. The JIT
 * does not vectorise loops that call {@code Math.exp}, so the scalar GELU costs ~15 ns per element;
 * here it is ~1.3 ns (measured on this machine, AVX-512). Only loaded when {@link Simd#AVAILABLE}.
 * Every method processes elements [0, n) of heap rows; the tail that does not fill a vector goes
 * through the same formula in scalar code.
 *
 * <p>Results must not depend on whether the JIT has compiled this code yet (a resumed run starts cold
 * and must reproduce an uninterrupted one bit for bit): the Vector API's own {@code EXP} is Intel SVML
 * once compiled but {@code Math.exp} per lane before, and {@code reduceLanes(ADD)} may sum in another
 * order once compiled. So the exponential is {@link #exp}, built from IEEE-exact lane operations (add,
 * multiply, fma, bit shifts), and sums are reduced lane by lane in a fixed order ({@link #sum}).
 */
final class SimdRows {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Doubles in a vector of the same size: half as many lanes. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(S.vectorBitSize()));

    /** {@link NormalCdf}'s polynomial Q, in float, highest order first for Horner's rule. */
    private static final float[] Q = toFloats(NormalCdf.coefficientsHighestFirst());
    private static final float INV_SQRT2 = (float) NormalCdf.INV_SQRT2;
    private static final float INV_SQRT_2PI = (float) NormalCdf.INV_SQRT_2PI;

    private SimdRows() {
    }

    static int bits() {
        return S.vectorBitSize();
    }

    /**
     * out = u * Phi(u) and, if {@code der} is not null, der = Phi(u) + u * phi(u), as
     * {@link NormalCdf#fast}: erfc(z) = t Q(2t - 1) exp(-z^2), z = |u| / sqrt 2, t = 1 / (1 + z / 2).
     * {@code out} may be {@code u}.
     */
    static void gelu(float[] u, float[] out, float[] der, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, u, i);
            FloatVector z = v.abs().mul(INV_SQRT2);
            FloatVector e = exp(z.mul(z).neg());                             // exp(-u^2 / 2)
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.mul(0.5f).add(1f));
            FloatVector s = t.mul(2f).sub(1f);
            FloatVector q = FloatVector.broadcast(S, Q[0]);
            for (int c = 1; c < Q.length; c++) q = q.fma(s, FloatVector.broadcast(S, Q[c]));
            FloatVector halfErfc = t.mul(q).mul(e).mul(0.5f);
            // Phi = erfc / 2 below zero, 1 - erfc / 2 above: each tail from the side where it is small
            FloatVector cdf = halfErfc.neg().add(1f).blend(halfErfc, v.compare(VectorOperators.LT, 0f));
            if (der != null) v.mul(e).mul(INV_SQRT_2PI).add(cdf).intoArray(der, i);
            v.mul(cdf).intoArray(out, i);
        }
        for (; i < n; i++) {
            float v = u[i];
            float z = Math.abs(v) * INV_SQRT2;
            float e = (float) Math.exp(-z * z);
            float t = 1f / (1f + 0.5f * z);
            float s = 2f * t - 1f;
            float q = Q[0];
            for (int c = 1; c < Q.length; c++) q = q * s + Q[c];
            float halfErfc = 0.5f * t * q * e;
            float cdf = v < 0 ? halfErfc : 1f - halfErfc;
            if (der != null) der[i] = cdf + v * e * INV_SQRT_2PI;
            out[i] = v * cdf;
        }
    }

    /** Lanes of the preferred float vector (16 with AVX-512). */
    static int lanes() {
        return S.length();
    }

    /** {@code n} rounded up to whole vectors: the length of the padded rows {@link #softmax} takes. */
    static int padded(int n) {
        return (n + S.length() - 1) / S.length() * S.length();
    }

    /**
     * In place: row = exp(row - max) / sum exp(row - max) over row[off, off + n). The array must reach
     * {@link #padded}(n) elements from {@code off}; the padding is scratch (left at 0). The last, partial
     * vector is masked instead of finished in scalar code, whose {@code Math.exp} per row cost as much as
     * the vector part at 65 tokens.
     */
    static void softmax(float[] row, int off, int n) {
        int full = S.loopBound(n), len = S.length(), end = off + padded(n);
        for (int i = off + n; i < end; i++) row[i] = Float.NEGATIVE_INFINITY;   // max ignores the padding
        FloatVector vmax = FloatVector.fromArray(S, row, off);
        for (int i = off + len; i < end; i += len) vmax = vmax.max(FloatVector.fromArray(S, row, i));
        float max = maxLanes(vmax);
        FloatVector vsum = FloatVector.zero(S);
        for (int i = 0; i < full; i += len) {
            FloatVector e = exp(FloatVector.fromArray(S, row, off + i).sub(max));
            e.intoArray(row, off + i);
            vsum = vsum.add(e);
        }
        if (full < n) {   // the tail lanes past n are zeroed before they reach the sum
            FloatVector e = exp(FloatVector.fromArray(S, row, off + full).sub(max)).blend(0f, PAST_END[n - full]);
            e.intoArray(row, off + full);
            vsum = vsum.add(e);
        }
        float inv = (float) (1.0 / sum(vsum));
        for (int i = off; i < end; i += len) FloatVector.fromArray(S, row, i).mul(inv).intoArray(row, i);
    }

    /**
     * {@link #softmax} of {@code rows} rows at {@code off + i * stride}, with the same operations in the same
     * order per row (so the same bits), in four passes over all rows instead of four per row: maxima, then
     * the exponentials, then the sums, then the scaling. One row is a chain of dependent steps too short for
     * the processor to overlap with the next row's; each pass is a loop of independent iterations.
     * {@code max} holds at least {@code rows} floats of scratch.
     */
    static void softmaxRows(float[] s, int off, int stride, int rows, int n, float[] max) {
        int full = S.loopBound(n), len = S.length(), pn = padded(n);
        for (int r = 0, o = off; r < rows; r++, o += stride) {
            for (int i = n; i < pn; i++) s[o + i] = Float.NEGATIVE_INFINITY;   // max ignores the padding
            FloatVector m = FloatVector.fromArray(S, s, o);
            for (int i = len; i < pn; i += len) m = m.max(FloatVector.fromArray(S, s, o + i));
            max[r] = maxLanes(m);
        }
        for (int r = 0, o = off; r < rows; r++, o += stride) {
            float m = max[r];
            for (int i = 0; i < full; i += len) exp(FloatVector.fromArray(S, s, o + i).sub(m)).intoArray(s, o + i);
            if (full < n)   // the tail lanes past n are zeroed before they reach the sum
                exp(FloatVector.fromArray(S, s, o + full).sub(m)).blend(0f, PAST_END[n - full]).intoArray(s, o + full);
        }
        float[] lanes = new float[len];
        for (int r = 0, o = off; r < rows; r++, o += stride) {
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < pn; i += len) sum = sum.add(FloatVector.fromArray(S, s, o + i));
            // sum(FloatVector) written out: as a call it was not inlined here (C2's node-count cutoff after the
            // two inlined exp), so every row boxed its vector for the call
            sum.intoArray(lanes, 0);
            double t = 0;
            for (int l = 0; l < len; l++) t += lanes[l];
            max[r] = (float) (1.0 / t);   // now the row's scale
        }
        for (int r = 0, o = off; r < rows; r++, o += stride) {
            float inv = max[r];
            for (int i = 0; i < pn; i += len) FloatVector.fromArray(S, s, o + i).mul(inv).intoArray(s, o + i);
        }
    }

    /**
     * LayerNorm of one row in place over [0, d): row = (row - mean) * rstd * g + b, rstd = 1 / sqrt(var + eps)
     * with the biased variance, both computed in two passes; returns {mean, rstd} in {@code stats}.
     */
    static void layerNorm(float[] row, float[] g, float[] b, int d, double eps, double[] stats) {
        int up = S.loopBound(d);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < up; i += S.length()) acc = acc.add(FloatVector.fromArray(S, row, i));
        double s = sum(acc);
        for (; i < d; i++) s += row[i];
        double mu = s / d;
        float fm = (float) mu;
        acc = FloatVector.zero(S);
        for (i = 0; i < up; i += S.length()) {
            FloatVector c = FloatVector.fromArray(S, row, i).sub(fm);
            acc = c.fma(c, acc);
        }
        double v = sum(acc);
        for (; i < d; i++) {
            double c = row[i] - mu;
            v += c * c;
        }
        double rs = 1.0 / Math.sqrt(v / d + eps);
        stats[0] = mu;
        stats[1] = rs;
        float fr = (float) rs;
        for (i = 0; i < up; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector.fromArray(S, row, i).sub(fm).mul(fr).fma(gv, FloatVector.fromArray(S, b, i)).intoArray(row, i);
        }
        for (; i < d; i++) row[i] = (row[i] - fm) * fr * g[i] + b[i];
    }

    /**
     * LayerNorm backward for one row over [0, d), from its forward statistics {@code fm}, {@code fr}:
     * with xh = (x - fm) fr and gh = dy g, writes dx = fr (gh - mean(gh) - xh mean(gh xh)) into {@code dx}
     * (added to what it holds if {@code accumulate}) and adds dy xh to {@code dg}, dy to {@code db}.
     * {@code x} is overwritten with xh.
     */
    static void layerNormBackward(float[] x, float[] dy, float[] g, float fm, float fr, float[] dx,
                                  boolean accumulate, float[] dg, float[] db, int d) {
        int up = S.loopBound(d);
        FloatVector mg = FloatVector.zero(S), mgx = FloatVector.zero(S);
        int i = 0;
        for (; i < up; i += S.length()) {
            FloatVector dyv = FloatVector.fromArray(S, dy, i);
            FloatVector xh = FloatVector.fromArray(S, x, i).sub(fm).mul(fr);
            xh.intoArray(x, i);
            FloatVector gh = dyv.mul(FloatVector.fromArray(S, g, i));
            mg = mg.add(gh);
            mgx = gh.fma(xh, mgx);
            dyv.fma(xh, FloatVector.fromArray(S, dg, i)).intoArray(dg, i);
            dyv.add(FloatVector.fromArray(S, db, i)).intoArray(db, i);
        }
        double smg = sum(mg), smgx = sum(mgx);
        for (; i < d; i++) {
            float xh = (x[i] - fm) * fr;
            x[i] = xh;
            float gh = dy[i] * g[i];
            smg += gh;
            smgx += gh * xh;
            dg[i] += dy[i] * xh;
            db[i] += dy[i];
        }
        float a = (float) (smg / d), bx = (float) (smgx / d);
        for (i = 0; i < up; i += S.length()) {
            FloatVector gh = FloatVector.fromArray(S, dy, i).mul(FloatVector.fromArray(S, g, i));
            FloatVector r = FloatVector.fromArray(S, x, i).mul(-bx).add(gh).sub(a).mul(fr);
            if (accumulate) r = r.add(FloatVector.fromArray(S, dx, i));
            r.intoArray(dx, i);
        }
        for (; i < d; i++) {
            float r = fr * (dy[i] * g[i] - a - x[i] * bx);
            dx[i] = accumulate ? dx[i] + r : r;
        }
    }

    /**
     * Softmax backward for one row, in place on g: g = a * (g - sum_j g_j a_j) over a[aOff, aOff + n) and
     * g[gOff, gOff + n).
     */
    static void softmaxBackward(float[] a, int aOff, float[] g, int gOff, int n) {
        softmaxBackward(a, aOff, g, gOff, n, new double[D.length()]);
    }

    /** Lanes of a double vector of the preferred size: the length of {@link #softmaxBackward}'s scratch. */
    static int doubleLanes() {
        return D.length();
    }

    /**
     * {@link #softmaxBackward(float[], int, float[], int, int)} with {@code lanes} ({@link #doubleLanes} doubles)
     * as scratch for the lane sum, written out here instead of a call that may box the vector.
     */
    static void softmaxBackward(float[] a, int aOff, float[] g, int gOff, int n, double[] lanes) {
        int up = S.loopBound(n);
        // the dot product is summed in double lanes (products rounded to float, as in the scalar loop): the
        // update g - dot cancels when g is close to dot, and float lanes lost up to 2e-7 there (8-lane AVX2)
        DoubleVector acc0 = DoubleVector.zero(D), acc1 = DoubleVector.zero(D);
        int i = 0;
        for (; i < up; i += S.length()) {
            FloatVector p = FloatVector.fromArray(S, g, gOff + i).mul(FloatVector.fromArray(S, a, aOff + i));
            acc0 = acc0.add(p.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add(p.convertShape(VectorOperators.F2D, D, 1));
        }
        acc0.add(acc1).intoArray(lanes, 0);
        double dot = 0;
        for (int l = 0, nl = D.length(); l < nl; l++) dot += lanes[l];
        for (; i < n; i++) dot += g[gOff + i] * a[aOff + i];
        float fd = (float) dot;
        for (i = 0; i < up; i += S.length()) {
            FloatVector av = FloatVector.fromArray(S, a, aOff + i);
            FloatVector.fromArray(S, g, gOff + i).sub(fd).mul(av).intoArray(g, gOff + i);
        }
        for (; i < n; i++) g[gOff + i] = a[aOff + i] * (g[gOff + i] - fd);
    }

    // Cephes expf: exp(x) = 2^n exp(r), n = round(x / ln 2), r = x - n ln 2 (ln 2 split in two for
    // exactness), exp(r) by a degree-5 polynomial on |r| <= ln(2) / 2; relative error ~1e-7.
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, kept in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Inputs are clamped to [-87, 88] so that 2^n stays a normal float; exp(-87) = 1.6e-38 stands in for 0. */
    private static final float EXP_MIN = -87f, EXP_MAX = 88f;

    /** exp(x) per lane, from exact lane operations only (see the class comment). */
    static FloatVector exp(FloatVector x) {
        // the clamp as compare-and-blend: the same lanes as x.max(EXP_MIN).min(EXP_MAX) for every input (NaN
        // compares false and stays NaN, as Math.max / min keep it), but without the extra blends that give
        // the vector max / min Java's NaN and signed-zero rules on AVX2; ~15% of the softmax's exponential
        // pass there (checked bit for bit against the max / min form over all 2^32 floats, SimdRowsExpTest)
        x = x.blend(EXP_MIN, x.compare(VectorOperators.LT, EXP_MIN));
        x = x.blend(EXP_MAX, x.compare(VectorOperators.GT, EXP_MAX));
        FloatVector t = x.mul(LOG2E).add(ROUNDER);   // n in its low bits
        FloatVector n = t.sub(ROUNDER);              // round(x / ln 2) as a float
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS - 127)   // n + 127 (wrapping int
                .lanewise(VectorOperators.LSHL, 23);   // arithmetic, so one subtraction); 2^n as float bits
        return p.mul(bits.reinterpretAsFloats());
    }

    /** The lanes of {@code v} summed in lane order. */
    private static double sum(DoubleVector v) {
        double[] lanes = v.toArray();
        double s = 0;
        for (double x : lanes) s += x;
        return s;
    }

    /** The lanes of {@code v} summed in lane order, in double. */
    private static double sum(FloatVector v) {
        float[] lanes = v.toArray();
        double s = 0;
        for (float x : lanes) s += x;
        return s;
    }

    /** PAST_END[k]: the lanes from k on, those past the row's end in a last vector holding k elements. */
    private static final VectorMask<Float>[] PAST_END = pastEnd();

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] pastEnd() {
        VectorMask<Float>[] m = new VectorMask[S.length()];
        for (int k = 0; k < m.length; k++) m[k] = S.indexInRange(0, k).not();   // lanes k, k + 1, ...
        return m;
    }

    /** The largest lane (max is exact, so the order does not matter). */
    private static float maxLanes(FloatVector v) {
        return v.reduceLanes(VectorOperators.MAX);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
