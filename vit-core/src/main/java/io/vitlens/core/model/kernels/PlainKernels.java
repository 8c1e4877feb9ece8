package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The reference {@link Kernels}: each function written the obvious way, in double precision, over heap
 * copies of the arrays. Used by DOUBLE models (gradient checks) and to test {@link FastFloatKernels}.
 */
public final class PlainKernels implements Kernels {

    public static final PlainKernels INSTANCE = new PlainKernels();

    private PlainKernels() {
    }

    @Override
    public void layerNormForward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray y,
                                 double[] mean, double[] rstd) {
        int d = (int) gamma.length();
        int rows = rows(x, d, "layerNorm x");
        sameLength(x, y, "layerNorm y");
        double[] xv = Buffers.toDoubles(x);
        double[] g = Buffers.toDoubles(gamma);
        double[] b = Buffers.toDoubles(beta);
        double[] out = new double[xv.length];
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            double s = 0;
            for (int j = 0; j < d; j++) s += xv[o + j];
            double mu = s / d;
            double v = 0;
            for (int j = 0; j < d; j++) v += (xv[o + j] - mu) * (xv[o + j] - mu);
            double rs = 1.0 / Math.sqrt(v / d + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < d; j++) out[o + j] = (xv[o + j] - mu) * rs * g[j] + b[j];
        }
        Buffers.fromDoubles(out, y);
    }

    @Override
    public void layerNormBackward(INDArray x, INDArray gamma, double[] mean, double[] rstd, INDArray dy,
                                  INDArray dx, boolean accumulate, INDArray dGamma, INDArray dBeta) {
        int d = (int) gamma.length();
        int rows = rows(x, d, "layerNorm x");
        sameLength(x, dy, "layerNorm dy");
        sameLength(x, dx, "layerNorm dx");
        double[] xv = Buffers.toDoubles(x);
        double[] g = Buffers.toDoubles(gamma);
        double[] dyv = Buffers.toDoubles(dy);
        double[] dxv = accumulate ? Buffers.toDoubles(dx) : new double[xv.length];
        double[] dg = new double[d];
        double[] db = new double[d];
        double[] xhat = new double[d];
        double[] gh = new double[d];
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            double mg = 0, mgx = 0;
            for (int j = 0; j < d; j++) {
                xhat[j] = (xv[o + j] - mean[r]) * rstd[r];
                gh[j] = dyv[o + j] * g[j];
                mg += gh[j];
                mgx += gh[j] * xhat[j];
                dg[j] += dyv[o + j] * xhat[j];
                db[j] += dyv[o + j];
            }
            mg /= d;
            mgx /= d;
            for (int j = 0; j < d; j++) dxv[o + j] += rstd[r] * (gh[j] - mg - xhat[j] * mgx);
        }
        Buffers.fromDoubles(dxv, dx);
        Buffers.fromDoubles(dg, dGamma);
        Buffers.fromDoubles(db, dBeta);
    }

    @Override
    public void softmaxRows(INDArray s) {
        int n = (int) s.size(s.rank() - 1);
        double[] v = Buffers.toDoubles(s);
        for (int o = 0; o < v.length; o += n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, v[o + j]);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                v[o + j] = Math.exp(v[o + j] - max);
                sum += v[o + j];
            }
            for (int j = 0; j < n; j++) v[o + j] /= sum;
        }
        Buffers.fromDoubles(v, s);
    }

    @Override
    public void softmaxBackwardRows(INDArray a, INDArray da) {
        sameLength(a, da, "softmax gradient");
        int n = (int) a.size(a.rank() - 1);
        double[] av = Buffers.toDoubles(a);
        double[] g = Buffers.toDoubles(da);
        for (int o = 0; o < av.length; o += n) {
            double dot = 0;
            for (int j = 0; j < n; j++) dot += g[o + j] * av[o + j];
            for (int j = 0; j < n; j++) g[o + j] = av[o + j] * (g[o + j] - dot);
        }
        Buffers.fromDoubles(g, da);
    }

    @Override
    public void gelu(INDArray u, INDArray out, INDArray derivative) {
        sameLength(u, out, "gelu output");
        double[] uv = Buffers.toDoubles(u);
        double[] o = new double[uv.length];
        double[] dv = derivative == null ? null : new double[uv.length];
        for (int i = 0; i < uv.length; i++) {
            double cdf = NormalCdf.exact(uv[i]);
            o[i] = uv[i] * cdf;
            if (dv != null) dv[i] = cdf + uv[i] * NormalCdf.density(uv[i]);
        }
        Buffers.fromDoubles(o, out);
        if (derivative != null) {
            sameLength(u, derivative, "gelu derivative");
            Buffers.fromDoubles(dv, derivative);
        }
    }

    @Override
    public void columnSums(INDArray x, INDArray out) {
        int c = (int) out.length();
        int rows = rows(x, c, "columnSums x");
        double[] v = Buffers.toDoubles(x);
        double[] s = new double[c];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++) s[j] += v[r * c + j];
        Buffers.fromDoubles(s, out);
    }

    @Override
    public void rowsPlusVector(INDArray x, INDArray bias, INDArray out) {
        int c = (int) bias.length();
        int rows = rows(out, c, "rowsPlusVector out");
        if (x != null) sameLength(out, x, "rowsPlusVector x");
        double[] b = Buffers.toDoubles(bias);
        double[] v = x == null ? new double[rows * c] : Buffers.toDoubles(x);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++) v[r * c + j] += b[j];
        Buffers.fromDoubles(v, out);
    }

    static int rows(INDArray x, int cols, String what) {
        if (cols <= 0 || x.length() % cols != 0 || x.size(x.rank() - 1) != cols)
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(x.shape())
                    + " does not have rows of length " + cols);
        return Math.toIntExact(x.length() / cols);
    }

    static void sameLength(INDArray ref, INDArray other, String what) {
        if (ref.length() != other.length())
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(other.shape()) + " does not match "
                    + Arrays.toString(ref.shape()));
    }
}
