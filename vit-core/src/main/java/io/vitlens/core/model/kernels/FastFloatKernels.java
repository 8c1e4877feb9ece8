package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

import static io.vitlens.core.model.kernels.PlainKernels.rows;
import static io.vitlens.core.model.kernels.PlainKernels.sameLength;

/**
 * {@link Kernels} for FLOAT arrays, in place on their native memory. Each row is bulk-copied into a
 * heap array (where the JIT can vectorise the simple loops), processed and copied back; rows are split
 * into fixed chunks over the fork-join pool ({@link RowChunks}). Row statistics and the per-column
 * reductions accumulate in double. GELU and softmax use the Vector API when {@link Simd#AVAILABLE}
 * ({@link SimdRows}), their scalar loops otherwise. Tested against {@link PlainKernels} in {@code FastFloatKernelsTest}.
 */
public final class FastFloatKernels implements Kernels {

    /** Vector API where available ({@link Simd#AVAILABLE}), scalar loops otherwise. */
    public static final FastFloatKernels INSTANCE = new FastFloatKernels(Simd.AVAILABLE);
    /** Always the scalar loops: the fallback, kept testable in a JVM that has the vector module. */
    public static final FastFloatKernels SCALAR = new FastFloatKernels(false);

    private final boolean simd;

    private FastFloatKernels(boolean simd) {
        this.simd = simd;
    }

    /** Whether this instance runs the Vector API kernels (then {@link SimdAttention} may be used too). */
    public boolean vectorized() {
        return simd;
    }

    @Override
    public void layerNormForward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray y,
                                 double[] mean, double[] rstd) {
        int d = (int) gamma.length();
        int rows = rows(x, d, "layerNorm x");
        sameLength(x, y, "layerNorm y");
        statsLength(mean, rstd, rows);
        FloatBuffer xb = Buffers.floats(x);
        FloatBuffer yb = Buffers.floats(y);
        float[] g = heap(gamma);
        float[] b = heap(beta);
        RowChunks.run(rows, d, (chunk, r0, r1) -> {
            float[] row = new float[d];
            double[] stats = new double[2];
            for (int r = r0; r < r1; r++) {
                xb.get(r * d, row);
                if (simd) {
                    SimdRows.layerNorm(row, g, b, d, eps, stats);
                    mean[r] = stats[0];
                    rstd[r] = stats[1];
                    yb.put(r * d, row);
                    continue;
                }
                double s = 0;
                for (int j = 0; j < d; j++) s += row[j];
                double mu = s / d;
                double v = 0;
                for (int j = 0; j < d; j++) {
                    double t = row[j] - mu;
                    v += t * t;
                }
                double rs = 1.0 / Math.sqrt(v / d + eps);
                mean[r] = mu;
                rstd[r] = rs;
                float fm = (float) mu;
                float fr = (float) rs;
                for (int j = 0; j < d; j++) row[j] = (row[j] - fm) * fr * g[j] + b[j];
                yb.put(r * d, row);
            }
        });
    }

    @Override
    public void layerNormBackward(INDArray x, INDArray gamma, double[] mean, double[] rstd, INDArray dy,
                                  INDArray dx, boolean accumulate, INDArray dGamma, INDArray dBeta) {
        int d = (int) gamma.length();
        int rows = rows(x, d, "layerNorm x");
        sameLength(x, dy, "layerNorm dy");
        sameLength(x, dx, "layerNorm dx");
        statsLength(mean, rstd, rows);
        FloatBuffer xb = Buffers.floats(x);
        FloatBuffer dyb = Buffers.floats(dy);
        FloatBuffer dxb = Buffers.floats(dx);
        float[] g = heap(gamma);
        int chunks = RowChunks.count(rows, d);
        double[][] dgPart = new double[chunks][d];
        double[][] dbPart = new double[chunks][d];
        RowChunks.run(rows, d, (chunk, r0, r1) -> {
            float[] xr = new float[d];
            float[] dyr = new float[d];
            float[] gh = new float[d];
            float[] acc = accumulate ? new float[d] : null;
            double[] dg = dgPart[chunk];
            double[] db = dbPart[chunk];
            if (simd) {   // per-chunk sums in float lanes, carried to the double partials at the end
                float[] dgf = new float[d], dbf = new float[d], dxr = new float[d];
                for (int r = r0; r < r1; r++) {
                    xb.get(r * d, xr);
                    dyb.get(r * d, dyr);
                    if (accumulate) dxb.get(r * d, dxr);
                    SimdRows.layerNormBackward(xr, dyr, g, (float) mean[r], (float) rstd[r], dxr, accumulate,
                            dgf, dbf, d);
                    dxb.put(r * d, dxr);
                }
                for (int j = 0; j < d; j++) {
                    dg[j] = dgf[j];
                    db[j] = dbf[j];
                }
                return;
            }
            for (int r = r0; r < r1; r++) {
                xb.get(r * d, xr);
                dyb.get(r * d, dyr);
                float fm = (float) mean[r];
                float fr = (float) rstd[r];
                double mg = 0, mgx = 0;
                for (int j = 0; j < d; j++) {
                    float xh = (xr[j] - fm) * fr;
                    xr[j] = xh;
                    gh[j] = dyr[j] * g[j];
                    mg += gh[j];
                    mgx += gh[j] * xh;
                    dg[j] += dyr[j] * xh;
                    db[j] += dyr[j];
                }
                float a = (float) (mg / d);
                float bx = (float) (mgx / d);
                if (accumulate) {
                    dxb.get(r * d, acc);
                    for (int j = 0; j < d; j++) gh[j] = acc[j] + fr * (gh[j] - a - xr[j] * bx);
                } else {
                    for (int j = 0; j < d; j++) gh[j] = fr * (gh[j] - a - xr[j] * bx);
                }
                dxb.put(r * d, gh);
            }
        });
        writeReduced(dgPart, dGamma);
        writeReduced(dbPart, dBeta);
    }

    @Override
    public void softmaxRows(INDArray s) {
        int n = (int) s.size(s.rank() - 1);
        int rows = rows(s, n, "softmax");
        FloatBuffer sb = Buffers.floats(s);
        RowChunks.run(rows, n, (chunk, r0, r1) -> {
            float[] row = new float[simd ? SimdRows.padded(n) : n];
            for (int r = r0; r < r1; r++) {
                sb.get(r * n, row, 0, n);
                if (simd) {
                    SimdRows.softmax(row, 0, n);
                    sb.put(r * n, row, 0, n);
                    continue;
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, row[j]);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    float e = (float) Math.exp(row[j] - max);
                    row[j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j < n; j++) row[j] *= inv;
                sb.put(r * n, row);
            }
        });
    }

    @Override
    public void softmaxBackwardRows(INDArray a, INDArray da) {
        sameLength(a, da, "softmax gradient");
        int n = (int) a.size(a.rank() - 1);
        int rows = rows(a, n, "softmax");
        FloatBuffer ab = Buffers.floats(a);
        FloatBuffer gb = Buffers.floats(da);
        RowChunks.run(rows, n, (chunk, r0, r1) -> {
            float[] ar = new float[n];
            float[] gr = new float[n];
            for (int r = r0; r < r1; r++) {
                ab.get(r * n, ar);
                gb.get(r * n, gr);
                if (simd) {
                    SimdRows.softmaxBackward(ar, 0, gr, 0, n);
                    gb.put(r * n, gr);
                    continue;
                }
                double dot = 0;
                for (int j = 0; j < n; j++) dot += gr[j] * ar[j];
                float fd = (float) dot;
                for (int j = 0; j < n; j++) gr[j] = ar[j] * (gr[j] - fd);
                gb.put(r * n, gr);
            }
        });
    }

    @Override
    public void gelu(INDArray u, INDArray out, INDArray derivative) {
        sameLength(u, out, "gelu output");
        if (derivative != null) sameLength(u, derivative, "gelu derivative");
        int n = (int) u.size(u.rank() - 1);
        int rows = rows(u, n, "gelu");
        FloatBuffer ub = Buffers.floats(u);
        FloatBuffer ob = Buffers.floats(out);
        FloatBuffer db = derivative == null ? null : Buffers.floats(derivative);
        RowChunks.run(rows, n, (chunk, r0, r1) -> {
            float[] row = new float[n];
            float[] der = new float[n];
            for (int r = r0; r < r1; r++) {
                ub.get(r * n, row);
                if (simd) {
                    SimdRows.gelu(row, row, db == null ? null : der, n);
                    ob.put(r * n, row);
                    if (db != null) db.put(r * n, der);
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    double v = row[j];
                    double z = Math.abs(v) * NormalCdf.INV_SQRT2;
                    double e = Math.exp(-z * z); // = exp(-v^2 / 2): shared by erfc and the density
                    double ec = NormalCdf.erfcOverExp(z) * e;
                    double cdf = v < 0 ? 0.5 * ec : 1.0 - 0.5 * ec;
                    if (db != null) der[j] = (float) (cdf + v * e * NormalCdf.INV_SQRT_2PI);
                    row[j] = (float) (v * cdf);
                }
                ob.put(r * n, row);
                if (db != null) db.put(r * n, der);
            }
        });
    }

    @Override
    public void rowsPlusVector(INDArray x, INDArray bias, INDArray out) {
        int c = (int) bias.length();
        int rows = rows(out, c, "rowsPlusVector out");
        if (x != null) sameLength(out, x, "rowsPlusVector x");
        FloatBuffer xb = x == null ? null : Buffers.floats(x);
        FloatBuffer ob = Buffers.floats(out);
        float[] b = heap(bias);
        RowChunks.run(rows, c, (chunk, r0, r1) -> {
            float[] row = new float[c];
            for (int r = r0; r < r1; r++) {
                if (xb == null) {
                    ob.put(r * c, b);
                    continue;
                }
                xb.get(r * c, row);
                for (int j = 0; j < c; j++) row[j] += b[j];
                ob.put(r * c, row);
            }
        });
    }

    @Override
    public void columnSums(INDArray x, INDArray out) {
        int c = (int) out.length();
        int rows = rows(x, c, "columnSums x");
        FloatBuffer xb = Buffers.floats(x);
        int chunks = RowChunks.count(rows, c);
        double[][] part = new double[chunks][c];
        RowChunks.run(rows, c, (chunk, r0, r1) -> {
            float[] row = new float[c];
            float[] acc = new float[c];
            for (int r = r0; r < r1; r++) {
                xb.get(r * c, row);
                for (int j = 0; j < c; j++) acc[j] += row[j];
            }
            for (int j = 0; j < c; j++) part[chunk][j] = acc[j];
        });
        writeReduced(part, out);
    }

    private static float[] heap(INDArray v) {
        float[] a = new float[(int) v.length()];
        Buffers.floats(v).get(0, a);
        return a;
    }

    /** out[j] = sum over chunks (in chunk order) of part[chunk][j]. */
    private static void writeReduced(double[][] part, INDArray out) {
        int c = (int) out.length();
        float[] s = new float[c];
        for (int j = 0; j < c; j++) {
            double t = 0;
            for (double[] p : part) t += p[j];
            s[j] = (float) t;
        }
        Buffers.floats(out).put(0, s);
    }

    private static void statsLength(double[] mean, double[] rstd, int rows) {
        if (mean.length < rows || rstd.length < rows)
            throw new IllegalArgumentException("layerNorm: statistics arrays of length " + mean.length + " / "
                    + rstd.length + " are shorter than " + rows + " rows");
    }
}
